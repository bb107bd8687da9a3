import Foundation
import Testing
import TradingConfig
import TraderApp

@Suite("qt live preflight: confirmation, keys, network, policy")
struct LivePreflightTests {
    static func config(_ text: String) throws -> AppConfig {
        try AppConfig(from: try ConfigDocument.parse(text: text, file: "live.toml"))
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qt-keys-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String, mode: Int) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    static let keys = "QT_BINANCE_API_KEY=key-123\nQT_BINANCE_API_SECRET=secret-456\n"

    @Test("Keys from the environment; missing keys name the variables, never a value")
    func environmentKeys() throws {
        let credentials = try LiveCredentials.load(environment: ["QT_BINANCE_API_KEY": "key-123", "QT_BINANCE_API_SECRET": "secret-456"],
                                                   keyFile: nil, repositoryRoot: nil)
        #expect(credentials.apiKey == "key-123" && credentials.apiSecret == "secret-456")
        #expect(!"\(credentials)".contains("secret") && !String(reflecting: credentials).contains("key-123"))
        #expect { try LiveCredentials.load(environment: ["QT_BINANCE_API_KEY": "k"], keyFile: nil, repositoryRoot: nil) } throws: { error in
            "\(error)".contains("QT_BINANCE_API_SECRET") && !"\(error)".contains("\"k\"")
        }
    }

    @Test("A private key file outside the repository is read; group/world-readable or inside the repository is refused")
    func keyFileRules() throws {
        let outside = try Self.temporaryDirectory()
        let repository = try Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: outside)
            try? FileManager.default.removeItem(atPath: repository)
        }
        let good = outside + "/binance.keys"
        try Self.write(Self.keys, to: good, mode: 0o600)
        let loaded = try LiveCredentials.load(environment: [:], keyFile: good, repositoryRoot: repository)
        #expect(loaded.apiKey == "key-123" && loaded.apiSecret == "secret-456")

        let open = outside + "/open.keys"
        try Self.write(Self.keys, to: open, mode: 0o644)
        #expect { try LiveCredentials.load(environment: [:], keyFile: open, repositoryRoot: repository) } throws: { "\($0)".contains("chmod 600") }

        let inside = repository + "/binance.keys"
        try Self.write(Self.keys, to: inside, mode: 0o600)
        #expect { try LiveCredentials.load(environment: [:], keyFile: inside, repositoryRoot: repository) } throws: { error in
            "\(error)".contains("inside the repository") && !"\(error)".contains("secret-456")
        }
    }

    @Test("No --confirm-live, the reference bracket, or the fixed-notional sizer: refused with one line each; testnet by default")
    func preflightRefusals() throws {
        let env = ["QT_BINANCE_API_KEY": "k", "QT_BINANCE_API_SECRET": "s"]
        let bracket = try Self.config("[execution]\npolicy = \"reference-bracket\"\n")
        #expect(bracket.live.network == .testnet && bracket.live.restURL == "https://testnet.binancefuture.com")
        #expect { try LiveBuilds.check(config: bracket, confirmLive: false, environment: env, keyFile: nil, repositoryRoot: nil) } throws: {
            "\($0)".contains("--confirm-live")
        }
        #expect { try LiveBuilds.check(config: bracket, confirmLive: true, environment: [:], keyFile: nil, repositoryRoot: nil) } throws: {
            "\($0)".contains("no API keys")
        }
        #expect { try LiveBuilds.check(config: bracket, confirmLive: true, environment: env, keyFile: nil, repositoryRoot: nil) } throws: {
            "\($0)".contains("exit-engine")
        }
        let sizer = try Self.config("[execution]\npolicy = \"exit-engine\"\n[strategy]\nname = \"ema-cross\"\nentry_gate = \"fixed-notional\"\n")
        #expect { try LiveBuilds.check(config: sizer, confirmLive: true, environment: env, keyFile: nil, repositoryRoot: nil) } throws: {
            "\($0)".contains("validated entry gate")
        }
    }

    @Test("Mainnet only when the file says so; another venue (a local one) with network = \"custom\"")
    func networkAndURLs() throws {
        let mainnet = try Self.config("[execution]\npolicy = \"exit-engine\"\n[live]\nnetwork = \"mainnet\"\n")
        #expect(mainnet.live.network == .mainnet && mainnet.live.restURL == "https://fapi.binance.com")
        let local = try Self.config("[execution]\npolicy = \"exit-engine\"\n[live]\nnetwork = \"custom\"\nrest_url = \"http://127.0.0.1:8080\"\nwebsocket_url = \"ws://127.0.0.1:8080\"\n")
        #expect(local.live.network == .custom && local.live.restURL == "http://127.0.0.1:8080" && local.live.websocketURL == "ws://127.0.0.1:8080")
        #expect(throws: ConfigErrorList.self) { try Self.config("[execution]\npolicy = \"exit-engine\"\n[live]\nnetwork = \"main\"\n") }
    }
}
