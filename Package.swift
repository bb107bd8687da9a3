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
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
    ],
    targets: [
        .target(name: "TradingModel", swiftSettings: strict),
        .target(name: "TradingEngine", dependencies: ["TradingModel"], swiftSettings: strict),
        .target(
            name: "BinanceFutures",
            dependencies: [
                "TradingModel", "TradingEngine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "WSClient", package: "swift-websocket"),
            ],
            swiftSettings: strict),
        .target(
            name: "TraderApp",
            dependencies: [
                "TradingModel", "TradingEngine",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "qt",
            dependencies: ["TraderApp", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .testTarget(name: "TradingModelTests", dependencies: ["TradingModel"], swiftSettings: strict),
        .testTarget(
            name: "BinanceFuturesTests",
            dependencies: ["BinanceFutures", "TradingModel", "TradingEngine", .product(name: "Logging", package: "swift-log")],
            exclude: ["Fixtures"],
            swiftSettings: strict),
    ]
)
