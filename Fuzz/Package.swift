// swift-tools-version:6.1
import PackageDescription

/// Every fuzz target's settings (see the package comment below).
let fuzzerSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6), .enableExperimentalFeature("Extern"), .unsafeFlags(["-parse-as-library"]),
]

/// libFuzzer targets over QuantumTrader's parsers of outside data. Built by `scripts/fuzz.sh`
/// (`make fuzz`) with `-sanitize=fuzzer` into `.build-fuzz`; one executable target per fuzzer at
/// `Sources/Fuzz<Name>/` exporting `LLVMFuzzerTestOneInput`, its seed corpus at `Corpus/<Name>/`,
/// listed with its minimum executions in `targets.txt`.
///
/// SwiftPM links an executable's `main` to the symbol `<Target>_main` (`--defsym`), so with
/// `-parse-as-library` each target defines `@_cdecl("Fuzz<Name>_main")`, which calls libFuzzer's
/// `LLVMFuzzerRunDriver` (declared with `@_extern(c)`, experimental feature `Extern`).
let package = Package(
    name: "QuantumTraderFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "QuantumTrader", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "FuzzBinanceParsers",
            dependencies: [
                .product(name: "BinanceFutures", package: "QuantumTrader"),
                .product(name: "TradingModel", package: "QuantumTrader"),
                .product(name: "TradingEngine", package: "QuantumTrader"),
            ],
            swiftSettings: fuzzerSettings),
        .executableTarget(
            name: "FuzzCandleReader",
            dependencies: [
                .product(name: "CandleData", package: "QuantumTrader"),
                .product(name: "TradingModel", package: "QuantumTrader"),
            ],
            swiftSettings: fuzzerSettings),
        .executableTarget(
            name: "FuzzFundingReader",
            dependencies: [.product(name: "CandleData", package: "QuantumTrader")],
            swiftSettings: fuzzerSettings),
        .executableTarget(
            name: "FuzzTOMLParser",
            dependencies: [.product(name: "TradingConfig", package: "QuantumTrader")],
            swiftSettings: fuzzerSettings),
        // The configuration mapper and the backtest need the composition root (`AppConfig`,
        // `BacktestRunner`); scripts/fuzz.sh passes the LightGBM flags it links with.
        .executableTarget(
            name: "FuzzConfigMapper",
            dependencies: [
                .product(name: "TradingConfig", package: "QuantumTrader"),
                .product(name: "TraderApp", package: "QuantumTrader"),
            ],
            swiftSettings: fuzzerSettings),
        .executableTarget(
            name: "FuzzBacktest",
            dependencies: [
                .product(name: "TradingConfig", package: "QuantumTrader"),
                .product(name: "TraderApp", package: "QuantumTrader"),
            ],
            swiftSettings: fuzzerSettings),
    ]
)
