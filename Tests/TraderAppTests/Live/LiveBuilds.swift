import Foundation
import Logging
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `TraderBuilder.build(.live)` for tests: the store in memory, the store's and the account's
/// locks in a fresh temporary directory (no two tests share one), the clock at `now`.
enum LiveBuilds {
    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("qt-live-build-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The environment of a built live trader; `base` supplies what the test fakes (transport,
    /// connector, shutdown), this adds the temporary locks, the store and the clock.
    static func environment(variables: [String: String], keyFile: String? = nil, repositoryRoot: String? = nil,
                            store: any TradeStore = InMemoryTradeStore(), clock: any TradingClock = ManualClock(LiveHarness.start),
                            base: TraderEnvironment = TraderEnvironment(logger: quiet)) -> TraderEnvironment {
        var environment = base
        environment.variables = variables
        environment.keyFile = keyFile
        environment.repositoryRoot = repositoryRoot
        environment.store = store
        environment.clock = clock
        environment.lockDirectory = temporaryDirectory()
        return environment
    }

    /// `config` with its store path in a temporary directory (the store lock lies beside it).
    static func isolated(_ config: AppConfig) -> AppConfig {
        var config = config
        config.storage.path = temporaryDirectory() + "/qt.sqlite"
        return config
    }

    /// Builds the live trader (every start-up check, the strategy, the locks, the composition)
    /// and returns it; throws the builder's `StartupError`.
    static func build(config: AppConfig, confirmLive: Bool, mainnet: Bool = false, environment variables: [String: String],
                      keyFile: String? = nil, repositoryRoot: String? = nil, symbols: [Symbol] = ["ATOMUSDT"],
                      now: Timestamp = LiveHarness.start) throws -> Trader {
        try TraderBuilder(isolated(config), environment: environment(variables: variables, keyFile: keyFile, repositoryRoot: repositoryRoot,
                                                                     clock: ManualClock(now)))
            .build(.live(LiveRequest(symbols: symbols, confirmLive: confirmLive, mainnet: mainnet)))
    }

    /// The plan of a live trader that passed every start-up check.
    static func check(config: AppConfig, confirmLive: Bool, mainnet: Bool = false, environment variables: [String: String],
                      keyFile: String? = nil, repositoryRoot: String? = nil, symbols: [Symbol] = ["ATOMUSDT"],
                      now: Timestamp = LiveHarness.start) throws -> VenueAccess {
        let trader = try build(config: config, confirmLive: confirmLive, mainnet: mainnet, environment: variables, keyFile: keyFile,
                               repositoryRoot: repositoryRoot, symbols: symbols, now: now)
        guard let plan = trader.venueAccess else { throw StartupError(.services, "a live trader without a plan") }
        return plan
    }
}
