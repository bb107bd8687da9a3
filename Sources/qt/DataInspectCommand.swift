import ArgumentParser
import Backtest
import CandleData
import Foundation
import TradingModel

/// `qt data inspect FILE...`: validates kline / funding files and summarises each one.
///
/// Exit status 0 when every file is valid. On the first bad file, one line naming file, line and
/// field goes to stderr and the command exits 1. The files are only read.
struct DataInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Validate candle/funding CSV(.gz) files and print symbol, interval, rows, span, gaps, ranges."
    )

    @Argument(help: "Kline or funding files (.csv or .csv.gz).")
    var files: [String]

    @Flag(name: .long, help: "Print one JSON object per file instead of text.")
    var json = false

    @Flag(name: .long, help: "Also print read time and rows per second (wall clock; display only).")
    var timing = false

    @Option(name: .long, help: "Gap ranges to list per file.")
    var maxGaps = 5

    @Option(name: .long, help: "Largest plausible ratio between a bar's extremes and the previous close (default 10).")
    var maxBarRatio: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one FILE") }
        guard maxGaps >= 0 else { throw ValidationError("--max-gaps must be 0 or more") }
        _ = try ratio()
    }

    /// `--max-bar-ratio` as a fixed-point ratio (at least 1.01).
    private func ratio() throws -> Rate {
        guard let text = maxBarRatio else { return CandleLimits.defaultMaximumBarRatio }
        guard let value = Rate(text), value >= Rate("1.01")!, value <= Rate(units: 1_000_000) else {
            throw ValidationError("--max-bar-ratio \(DisplayText.escaped(text, limit: 40)) is out of range 1.01...1000000")
        }
        return value
    }

    /// The plausibility limits of a kline file: its bundled instrument's price filter when the
    /// name says a bundled symbol, and the bar-to-bar ratio.
    private func limits(for path: String) throws -> CandleLimits {
        let ratio = try ratio()
        if let symbol = DataFileName(path: path).symbol, let instrument = BundledInstruments.instrument(symbol) {
            return CandleLimits(instrument: instrument, maximumBarRatio: ratio)
        }
        return CandleLimits(maximumBarRatio: ratio)
    }

    func run() throws {
        for path in files {
            let clock = ContinuousClock()
            let started = clock.now
            do {
                let lines: [String]
                let rows: Int
                if DataFileName(path: path).isFunding {
                    let report = try FundingRateReader.validate(path: path)
                    rows = report.rowCount
                    lines = json ? [DataInspectFormatter.json(report)] : DataInspectFormatter.text(report)
                } else {
                    let report = try CandleReader.validate(path: path, limits: try limits(for: path))
                    rows = report.rowCount
                    lines = json ? [DataInspectFormatter.json(report, maxGaps: maxGaps)]
                        : DataInspectFormatter.text(report, maxGaps: maxGaps)
                }
                for line in lines { print(line) }
                if timing {
                    let seconds = DataInspectFormatter.seconds(clock.now - started)
                    let rate = seconds > 0 ? Double(rows) / seconds : 0
                    print("  timing: \(String(format: "%.3f", seconds)) s, \(Int(rate)) rows/s")
                }
            } catch {
                FileHandle.standardError.write(Data("qt data inspect: invalid: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
