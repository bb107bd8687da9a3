// swift-tools-version:6.1
// libFuzzer targets (`make fuzz` = scripts/fuzz.sh): one executable target per fuzzer at
// Sources/Fuzz<Name>/ exporting `LLVMFuzzerTestOneInput`, its seed corpus at Corpus/<Name>/, and
// the list of targets with their minimum execution counts in targets.txt. scripts/fuzz.sh builds
// them with `-sanitize=fuzzer` into the scratch path `.build-fuzz`. Each main.swift ends by
// starting libFuzzer's driver (`LLVMFuzzerRunDriver`): SwiftPM gives every executable target its
// own entry point, so libFuzzer's `main` is not the one that runs.
import PackageDescription

let package = Package(
    name: "QuantumTraderFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "QuantumTrader", path: ".."),
    ],
    targets: [
        .executableTarget(name: "FuzzCandleReader", dependencies: [
            .product(name: "CandleData", package: "QuantumTrader"), .product(name: "TradingModel", package: "QuantumTrader"),
        ]),
        .executableTarget(name: "FuzzFundingReader", dependencies: [.product(name: "CandleData", package: "QuantumTrader")]),
        .executableTarget(name: "FuzzTOMLParser", dependencies: [.product(name: "TradingConfig", package: "QuantumTrader")]),
        .executableTarget(name: "FuzzConfigMapper", dependencies: [
            .product(name: "TradingConfig", package: "QuantumTrader"), .product(name: "TraderApp", package: "QuantumTrader"),
        ]),
        .executableTarget(name: "FuzzBacktest", dependencies: [
            .product(name: "TradingConfig", package: "QuantumTrader"), .product(name: "TraderApp", package: "QuantumTrader"),
        ]),
    ],
    // Fuzz harnesses use process-wide scratch state from a C callback; Swift 5 mode keeps them short.
    swiftLanguageModes: [.v5]
)
