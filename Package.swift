// swift-tools-version:6.1
import PackageDescription
import Foundation

/// Project root, for the project-local LightGBM installed by scripts/install-lightgbm.sh.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
let lightGBMLibrary = "\(packageRoot)/vendor/lightgbm/lib"
/// Header and linker flags for targets that import CLightGBM (c_api.h includes <LightGBM/arrow.h>).
let lightGBMSwiftFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-I\(packageRoot)/vendor/lightgbm/include"])]
let lightGBMLinkerFlags: [LinkerSetting] = [
    .unsafeFlags(["-L\(lightGBMLibrary)", "-Xlinker", "-rpath", "-Xlinker", lightGBMLibrary]),
]

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    // A file uses members of the modules it imports only (not of modules imported elsewhere).
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Every target (typed, so the manifest type-checks in reasonable time).
let targets: [Target] = [
    // Core (no I/O).
    .target(name: "TradingModel", swiftSettings: strict),
    .target(name: "TradingEngine", dependencies: ["TradingModel"], swiftSettings: strict),
    // Adapters.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .target(name: "CandleData", dependencies: ["TradingModel", "CZlib"], swiftSettings: strict),
    // Zip reading (archive downloads) and deterministic writing (Ray job packages) over zlib.
    .target(name: "ZipArchive", dependencies: ["CZlib"], swiftSettings: strict),
    // `qt data download`: Binance's public data archive (verified zips) and REST for the latest days.
    .target(
        name: "HistoricalData",
        dependencies: [
            "TradingModel", "CandleData", "CZlib", "ZipArchive",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ],
        swiftSettings: strict),
    .target(name: "TradingConfig", dependencies: ["TradingModel"], swiftSettings: strict),
    .target(name: "Backtest", dependencies: ["TradingModel", "TradingEngine"], swiftSettings: strict),
    .target(
        name: "Storage",
        dependencies: [
            "TradingModel", "TradingEngine", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ],
        swiftSettings: strict),
    .systemLibrary(name: "CXGBoost", path: "Sources/CXGBoost", providers: [.apt(["libxgboost-dev"])]),
    .systemLibrary(name: "CLightGBM", path: "Sources/CLightGBM"),
    .target(
        name: "Signals",
        dependencies: ["TradingModel", "TradingEngine", "CXGBoost", "CLightGBM", .product(name: "Crypto", package: "swift-crypto")],
        swiftSettings: strict + lightGBMSwiftFlags,
        linkerSettings: lightGBMLinkerFlags),
    .target(
        name: "BinanceFutures",
        dependencies: [
            .product(name: "NIOHTTP1", package: "swift-nio"),
            "TradingModel", "TradingEngine",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "WSClient", package: "swift-websocket"),
        ],
        swiftSettings: strict),
    .target(
        name: "LocalVenue",
        dependencies: [
            "TradingModel", "TradingEngine", "Backtest", "CandleData",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        ],
        swiftSettings: strict),
    .target(name: "TradingTestSupport", dependencies: ["TradingModel", "TradingEngine"], swiftSettings: strict),
    // A loopback HTTP/1.1 server for tests whose answers can be cut, stalled or never sent (fake archive, fake Ray).
    .target(
        name: "HTTPTestSupport",
        dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ],
        swiftSettings: strict),
    // Alert rules, Telegram and webhook notifiers, Telegram commands (adapters: never BinanceFutures or Storage).
    .target(
        name: "Alerts",
        dependencies: [
            "TradingModel", "TradingEngine",
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: strict),
    // A fake Telegram Bot API and webhook receiver on 127.0.0.1 for tests (slow answers, 429, 5xx, odd update ids).
    .target(
        name: "AlertsTestSupport",
        dependencies: [
            .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            "TradingModel", "TradingEngine", "Alerts",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: strict),
    // The operator's console: Hummingbird web UI (mustache pages), JSON API, Prometheus /metrics, health
    // (adapters: never Storage, BinanceFutures or Alerts; TraderApp implements its data and control ports).
    .target(
        name: "Dashboard",
        dependencies: [
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            "TradingModel", "TradingEngine",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: strict),
    // Research sweeps: manifest, local engine (swift-subprocess), Ray Jobs engine, report.
    .target(
        name: "Research",
        dependencies: [
            "TradingConfig", "ZipArchive",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
        ],
        swiftSettings: strict),
    // Composition root and CLI.
    .target(
        name: "TraderApp",
        dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Hummingbird", package: "hummingbird"),
            "TradingModel", "TradingEngine", "TradingConfig", "Storage", "Backtest", "CandleData", "Signals", "BinanceFutures",
            "LocalVenue", "Alerts", "Dashboard",
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ],
        swiftSettings: strict + lightGBMSwiftFlags,
        linkerSettings: lightGBMLinkerFlags),
    .executableTarget(
        name: "qt",
        dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            "TraderApp", "TradingConfig", "CandleData", "Signals", "LocalVenue", "Backtest", "TradingModel", "Alerts", "Dashboard",
            "HistoricalData", "Research", "TradingEngine",
            .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: strict + lightGBMSwiftFlags,
        linkerSettings: lightGBMLinkerFlags),
    .executableTarget(
        name: "qt-bench",
        dependencies: ["Backtest", "CandleData", "TradingEngine", "TradingModel"],
        swiftSettings: strict),
    // Tests: one target per module.
    .testTarget(name: "TradingModelTests", dependencies: ["TradingModel"], swiftSettings: strict),
    .testTarget(
        name: "AlertsTests",
        dependencies: [
            "Alerts", "AlertsTestSupport", "TradingEngine", "TradingModel", "TradingTestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: strict),
    .testTarget(
        name: "DashboardTests",
        dependencies: [
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            "Dashboard", "TradingEngine", "TradingModel",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: strict),
    .testTarget(name: "TradingEngineTests", dependencies: ["TradingEngine", "TradingModel"], swiftSettings: strict),
    .testTarget(name: "CandleDataTests", dependencies: ["TradingTestSupport", "CandleData", "CZlib", "TradingModel"], swiftSettings: strict),
    .testTarget(
        name: "ResearchTests",
        dependencies: ["Research", "HTTPTestSupport", "ZipArchive", "TradingConfig",
                       .product(name: "AsyncHTTPClient", package: "async-http-client")],
        swiftSettings: strict),
    .testTarget(name: "ZipArchiveTests", dependencies: ["ZipArchive"], exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(
        name: "HistoricalDataTests",
        dependencies: [
            "HistoricalData", "CandleData", "TradingModel", "ZipArchive", "HTTPTestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: strict),
    .testTarget(name: "BacktestTests", dependencies: ["Backtest", "TradingEngine", "TradingModel", "CandleData"], swiftSettings: strict),
    .testTarget(name: "TradingConfigTests", dependencies: ["TradingConfig", "TradingModel"], swiftSettings: strict),
    .testTarget(
        name: "StorageTests",
        dependencies: [
            "Storage", "TradingTestSupport", "TradingEngine", "TradingModel",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ],
        swiftSettings: strict),
    .testTarget(
        name: "BinanceFuturesTests",
        dependencies: ["BinanceFutures", "TradingModel", "TradingEngine", "TradingTestSupport", .product(name: "Logging", package: "swift-log")],
        exclude: ["Fixtures"],
        swiftSettings: strict),
    .testTarget(
        name: "LocalVenueTests",
        dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            "LocalVenue", "BinanceFutures", "Backtest", "TradingModel", "TradingEngine", "TradingTestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: strict),
    .testTarget(
        name: "LiveVenueTests",
        dependencies: [
            .product(name: "HTTPTypes", package: "swift-http-types"),
            "TraderApp", "LocalVenue", "BinanceFutures", "Backtest", "Storage", "TradingEngine", "TradingModel", "TradingTestSupport",
            "Alerts", "AlertsTestSupport", "Dashboard",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ],
        swiftSettings: strict + lightGBMSwiftFlags,
        linkerSettings: lightGBMLinkerFlags),
    .testTarget(
        name: "SignalsTests",
        dependencies: ["TradingEngine", "TradingTestSupport", "Signals", "TradingModel"],
        swiftSettings: strict + lightGBMSwiftFlags,
        linkerSettings: lightGBMLinkerFlags),
    .testTarget(
        name: "TraderAppTests",
        dependencies: ["TraderApp", "TradingConfig", "TradingEngine", "TradingModel", "TradingTestSupport", "Signals", "CandleData",
                       "BinanceFutures", "Backtest", "Storage", "Alerts", "AlertsTestSupport", "LocalVenue", "Dashboard",
                       .product(name: "GRDB", package: "GRDB.swift"),
                       .product(name: "Hummingbird", package: "hummingbird"),
                       .product(name: "HummingbirdTesting", package: "hummingbird"),
                       .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                       .product(name: "Prometheus", package: "swift-prometheus"),
                       .product(name: "WSClient", package: "swift-websocket"),
                       .product(name: "NIOCore", package: "swift-nio"),
                       .product(name: "Logging", package: "swift-log"),
                       .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                       .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                       .product(name: "GRDB", package: "GRDB.swift"),
                       .product(name: "HTTPTypes", package: "swift-http-types"),
                       .product(name: "NIOWebSocket", package: "swift-nio")],
        swiftSettings: strict + lightGBMSwiftFlags,
        linkerSettings: lightGBMLinkerFlags),
]

let package = Package(
    name: "QuantumTrader",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "qt", targets: ["qt"]),
        // Libraries for the fuzz targets in Fuzz/ (a separate package depending on this one by path).
        .library(name: "TradingModel", targets: ["TradingModel"]),
        .library(name: "TradingEngine", targets: ["TradingEngine"]),
        .library(name: "BinanceFutures", targets: ["BinanceFutures"]),
        .library(name: "CandleData", targets: ["CandleData"]),
        .library(name: "TradingConfig", targets: ["TradingConfig"]),
        .library(name: "TraderApp", targets: ["TraderApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: targets
)
