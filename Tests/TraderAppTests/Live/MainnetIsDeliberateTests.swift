import Foundation
import Testing
import TradingConfig
import TraderApp

/// Mainnet is deliberate: the URLs must belong to the network the file names (or the file says
/// `network = "custom"`), plain `http://`/`ws://` only to this machine, and the refusals come
/// from the configuration itself, so `qt config check` gives them as `qt live` does.
@Suite("Mainnet is deliberate: network, URLs, plain text only to loopback")
struct MainnetIsDeliberateTests {
    static func errors(_ live: String) -> [ConfigError] {
        do {
            _ = try AppConfig(from: try ConfigDocument.parse(text: "[execution]\npolicy = \"exit-engine\"\n[live]\n" + live, file: "live.toml"))
            return []
        } catch let list as ConfigErrorList {
            return list.errors
        } catch {
            return [ConfigError(kind: .invalidValue, file: "live.toml", line: nil, key: "", message: "\(error)")]
        }
    }

    @Test(arguments: [
        // A mainnet host under the default testnet network (or the reverse) is refused.
        ("rest_url = \"https://fapi.binance.com\"\n", "live.rest_url", "custom"),
        ("network = \"mainnet\"\nwebsocket_url = \"wss://stream.binancefuture.com\"\n", "live.websocket_url", "custom"),
        ("network = \"mainnet\"\nrest_url = \"https://fapi.binance.com.evil.example\"\n", "live.rest_url", "custom"),
        // Another venue needs network = "custom" and both URLs.
        ("rest_url = \"http://127.0.0.1:8080\"\nwebsocket_url = \"ws://127.0.0.1:8080\"\n", "live.rest_url", "custom"),
        ("network = \"custom\"\nrest_url = \"https://venue.example\"\n", "live.websocket_url", "custom"),
        // Plain text only to this machine.
        ("network = \"custom\"\nrest_url = \"http://10.0.0.5:8080\"\nwebsocket_url = \"wss://venue.example\"\n", "live.rest_url", "loopback"),
        ("network = \"custom\"\nrest_url = \"https://venue.example\"\nwebsocket_url = \"ws://venue.example\"\n", "live.websocket_url", "loopback"),
        ("network = \"custom\"\nrest_url = \"ftp://venue.example\"\nwebsocket_url = \"wss://venue.example\"\n", "live.rest_url", "https://"),
    ])
    func urlsThatDoNotMatchTheNetworkAreRefused(_ live: String, _ key: String, _ hint: String) {
        let found = Self.errors(live)
        #expect(found.map(\.key).contains(key), "\(found)")
        #expect(found.contains { $0.message.contains(hint) }, "\(found)")
    }

    @Test(arguments: [
        "",
        "network = \"mainnet\"\n",
        "network = \"mainnet\"\nrest_url = \"https://fapi.binance.com\"\nwebsocket_url = \"wss://fstream.binance.com\"\n",
        "network = \"testnet\"\nrest_url = \"https://testnet.binancefuture.com/\"\nwebsocket_url = \"wss://fstream.binancefuture.com\"\n",
        "network = \"custom\"\nrest_url = \"http://127.0.0.1:8080\"\nwebsocket_url = \"ws://localhost:8080\"\n",
        "network = \"custom\"\nrest_url = \"https://proxy.example:8443\"\nwebsocket_url = \"wss://proxy.example:8443\"\n",
    ])
    func matchingURLsAreAccepted(_ live: String) {
        #expect(Self.errors(live).isEmpty)
    }

    /// `qt config check` refuses what `qt live` refuses: the check maps the same `[live]`.
    @Test func configCheckRefusesPlainTextToAnotherMachine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("live.toml").path
        try "[execution]\npolicy = \"exit-engine\"\n[live]\nnetwork = \"custom\"\nrest_url = \"http://192.168.1.20:8080\"\nwebsocket_url = \"ws://192.168.1.20:8080\"\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let report = ConfigCheck.run(path: file)
        #expect(!report.isValid)
        #expect(report.lines.contains { $0.contains("live.rest_url") && $0.contains("loopback") })
    }

    static let mainnetKeys = ["QT_BINANCE_MAINNET_API_KEY": "main-key", "QT_BINANCE_MAINNET_API_SECRET": "main-secret"]
    static let testnetKeys = ["QT_BINANCE_API_KEY": "test-key", "QT_BINANCE_API_SECRET": "test-secret"]

    static func config(_ live: String) throws -> AppConfig {
        try AppConfig(from: try ConfigDocument.parse(text: "[execution]\npolicy = \"exit-engine\"\n[live]\n" + live + "[strategy]\nname = \"ema-cross\"\nentry_gate = \"validator\"\n",
                                                     file: "live.toml"))
    }

    /// Mainnet needs the file AND `--mainnet`, and its own keys: the testnet variables never
    /// reach it. `--mainnet` with a testnet file is refused too.
    @Test func mainnetNeedsItsFlagAndItsOwnKeys() throws {
        let mainnet = try Self.config("network = \"mainnet\"\n")
        #expect { try LiveBuilds.check(config: mainnet, confirmLive: true, environment: Self.mainnetKeys, keyFile: nil, repositoryRoot: nil) } throws: {
            "\($0)".contains("--mainnet")
        }
        #expect {
            try LiveBuilds.check(config: mainnet, confirmLive: true, mainnet: true, environment: Self.testnetKeys, keyFile: nil, repositoryRoot: nil)
        } throws: { "\($0)".contains("QT_BINANCE_MAINNET_API_KEY") && !"\($0)".contains("test-secret") }
        let plan = try LiveBuilds.check(config: mainnet, confirmLive: true, mainnet: true, environment: Self.mainnetKeys.merging(Self.testnetKeys) { $1 },
                                           keyFile: nil, repositoryRoot: nil)
        #expect(plan.network == .mainnet && plan.credentials.apiKey == "main-key")
        let testnet = try Self.config("")
        #expect {
            try LiveBuilds.check(config: testnet, confirmLive: true, mainnet: true, environment: Self.mainnetKeys, keyFile: nil, repositoryRoot: nil)
        } throws: { "\($0)".contains("network is \"testnet\"") }
        #expect(try LiveBuilds.check(config: testnet, confirmLive: true, environment: Self.testnetKeys, keyFile: nil, repositoryRoot: nil)
            .credentials.apiKey == "test-key")
    }

    /// The start-up line says which network and which hosts, and no key.
    @Test func theStartUpLineSaysTheNetworkAndTheHosts() throws {
        let plan = try LiveBuilds.check(config: try Self.config("network = \"mainnet\"\n"), confirmLive: true, mainnet: true,
                                           environment: Self.mainnetKeys, keyFile: nil, repositoryRoot: nil)
        let line = "\(plan)"
        #expect(line.contains("MAINNET") && line.contains("REST fapi.binance.com") && line.contains("streams fstream.binance.com"))
        #expect(!line.contains("main-key") && !line.contains("main-secret"))
        let local = try LiveBuilds.check(config: try Self.config("network = \"custom\"\nrest_url = \"http://127.0.0.1:9\"\nwebsocket_url = \"ws://127.0.0.1:9\"\n"),
                                            confirmLive: true, environment: Self.testnetKeys, keyFile: nil, repositoryRoot: nil)
        #expect("\(local)".contains("CUSTOM") && "\(local)".contains("REST 127.0.0.1"))
    }
}
