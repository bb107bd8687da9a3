// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "QuantumTrader",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "qt", targets: ["qt"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .target(name: "TradingModel", swiftSettings: strict),
        .target(name: "TradingEngine", dependencies: ["TradingModel"], swiftSettings: strict),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CandleData", dependencies: ["TradingModel", "CZlib"], swiftSettings: strict),
        .target(name: "Configuration", dependencies: ["TradingModel"], swiftSettings: strict),
        .target(name: "Backtest", dependencies: ["TradingModel", "TradingEngine"], swiftSettings: strict),
        .target(
            name: "Storage",
            dependencies: ["TradingModel", "TradingEngine", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(name: "TradingTestSupport", dependencies: ["TradingModel", "TradingEngine"], swiftSettings: strict),
        .target(
            name: "TraderApp",
            dependencies: [
                "TradingModel", "TradingEngine", "Configuration", "Storage", "Backtest", "CandleData",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "qt",
            dependencies: ["TraderApp", "CandleData", "Configuration", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .executableTarget(
            name: "qt-bench",
            dependencies: ["Backtest", "CandleData", "TradingEngine", "TradingModel"],
            swiftSettings: strict),
        .testTarget(name: "TradingModelTests", dependencies: ["TradingModel"], swiftSettings: strict),
        .testTarget(name: "CandleDataTests", dependencies: ["CandleData", "CZlib"], swiftSettings: strict),
        .testTarget(name: "TradingEngineTests", dependencies: ["TradingEngine", "TradingModel"], swiftSettings: strict),
        .testTarget(name: "BacktestTests", dependencies: ["Backtest", "TradingEngine", "TradingModel", "CandleData"], swiftSettings: strict),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "TradingModel"], swiftSettings: strict),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "TradingTestSupport", "TradingEngine", "TradingModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TraderAppTests",
            dependencies: ["TraderApp", "Configuration", "TradingEngine", "TradingModel", "TradingTestSupport"],
            swiftSettings: strict),
    ]
)
