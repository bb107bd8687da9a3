import ArgumentParser
import Foundation
import TraderApp
import TradingEngine
import TradingModel

/// `qt stats --db FILE [filters] [--json | --html FILE]`: statistics over the closed trades of
/// the store (backtest, paper and live), overlap-aware, with a sample-size verdict.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Trade statistics over closed trades in the store (filters: run, mode, period, symbol, strategy, side)."
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("run"), help: "Only this run (repeatable; `qt status` lists them).")
    var runIDs: [Int64] = []
    @Option(name: .long, help: "Only backtest, paper or live runs (repeatable).")
    var mode: [String] = []
    @Option(name: .long, help: "Trades that exited on or after this UTC day or time (2026-01-03 or 2026-01-03T12:00Z).")
    var from: String?
    @Option(name: .long, help: "Trades that exited up to this UTC day (inclusive) or before this time.")
    var to: String?
    @Option(name: .long, help: "Only this symbol (repeatable).")
    var symbol: [String] = []
    @Option(name: .long, help: "Only runs of this strategy, e.g. ema-cross or ml-ensemble (repeatable).")
    var strategy: [String] = []
    @Option(name: .long, help: "Only LONG or SHORT trades.")
    var side: String?
    @Option(name: .long, help: "Starting equity in USDT for the daily Sharpe/Sortino and the drawdown % (default: the run's first equity sample).")
    var capital: String?
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
    @Option(name: .long, help: "Also write an HTML page to this file.")
    var html: String?

    func filter() throws -> TradeFilter {
        var filter = TradeFilter(runIDs: Set(runIDs))
        for name in mode {
            guard let kind = RunKind(rawValue: name.lowercased()) else { throw ValidationError("--mode \(name): use backtest, paper or live") }
            filter.kinds.insert(kind)
        }
        filter.from = try from.map { try Self.time($0, "--from", endOfDay: false) }
        filter.to = try to.map { try Self.time($0, "--to", endOfDay: true) }
        if let from = filter.from, let to = filter.to, to <= from { throw ValidationError("--to must be after --from") }
        for name in symbol {
            guard let value = Symbol(name.uppercased()) else { throw ValidationError("--symbol \(name) is not a symbol (e.g. ATOMUSDT)") }
            filter.symbols.insert(value)
        }
        filter.strategies = Set(strategy)
        if let side {
            guard let value = Side(rawValue: side.uppercased()) else { throw ValidationError("--side \(side): use LONG or SHORT") }
            filter.side = value
        }
        return filter
    }

    /// A UTC day (`--to` includes the whole day) or time.
    static func time(_ text: String, _ flag: String, endOfDay: Bool) throws -> Timestamp {
        guard let time = Timestamp(iso8601: text) else { throw ValidationError("\(flag) \(text): use a UTC day 2026-01-03 or time 2026-01-03T12:00Z") }
        return endOfDay && text.count == 10 ? time.advanced(by: .seconds(86_400)) : time
    }

    func validate() throws {
        _ = try filter()
        _ = try startingEquity()
    }

    func startingEquity() throws -> Money? {
        guard let capital else { return nil }
        guard let value = Money(capital), value.isPositive else { throw ValidationError("--capital \(capital): a positive USDT amount, e.g. 1000") }
        return value
    }

    func run() throws {
        let filter = try filter()
        let equity = try startingEquity()
        let report = try StatsReport.make(storePath: try sqlitePath(), filter: filter, capital: equity)
        if json { print(try report.json()) } else { for line in report.lines { print(line) } }
        if let html {
            do { try report.html.write(toFile: html, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("--html \(html): cannot write the page (\(error.localizedDescription))")
            }
        }
    }

    /// The analytics read a SQLite store by path; a PostgreSQL store (`--config`) is refused with a clear line.
    func sqlitePath() throws -> String {
        guard let db = store.db else {
            throw ValidationError("qt stats reads a SQLite store: name it with --db FILE (a PostgreSQL store is not supported by qt stats yet)")
        }
        return db
    }
}
