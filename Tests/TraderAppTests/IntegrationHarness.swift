import Foundation
import TradingConfig
@testable import TraderApp
import TradingEngine
import TradingModel

/// A strategy that signals the given side (with the given confidence) at the close of the given
/// bar indices; tests only.
struct ScriptedSignals: TradingStrategy {
    let symbol: Symbol
    let signals: [Int: (side: Side, confidence: Double?)]
    var bar = 0

    init(symbol: Symbol, _ signals: [Int: (side: Side, confidence: Double?)]) {
        self.symbol = symbol
        self.signals = signals
    }

    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        defer { bar += 1 }
        guard let signal = signals[bar] else { return nil }
        return Signal(symbol: symbol, side: signal.side, confidence: signal.confidence, time: closeTime, source: "scripted")
    }
}

/// An exit owner whose process died at `deathTime`: from then on it processes no event (no
/// price, no fill, no timer) and its status freezes, while the venue keeps whatever it placed.
/// `deathTime` at or before the entry: it never even places its backstop.
struct DeadOwner<Inner: PositionExitOwner>: PositionExitOwner {
    var inner: Inner
    let deathTime: Timestamp

    var executorName: String { inner.executorName }
    var watchedLevels: WatchedPriceLevels { inner.watchedLevels }
    var exitStatus: TradingEngine.ExitStatus? { inner.exitStatus }

    mutating func on(_ event: ExitEvent) -> [ExitAction] {
        let time: Timestamp = switch event {
        case .price(let price): price.receiveTime
        case .timer(let time), .manualClose(let time): time
        case .execution(let execution): execution.venueTime
        }
        return time < deathTime ? inner.on(event) : []
    }
}

/// An exit owner that is gone altogether: it reports no status, processes nothing and placed
/// nothing (a restart that lost the position's owner). Only the watchdog's own view of the
/// venue's positions can find such a position.
struct LostOwner<Inner: PositionExitOwner>: PositionExitOwner {
    var inner: Inner
    var executorName: String { inner.executorName }
    mutating func on(_ event: ExitEvent) -> [ExitAction] { [] }
}

extension ExecutionEvent {
    /// Venue time of a report (test helper).
    var venueTime: Timestamp {
        switch self {
        case .accepted(_, _, _, let time), .rejected(_, _, _, let time), .canceled(_, _, let time), .triggered(_, _, let time),
             .positionChanged(_, _, let time), .liquidated(_, _, _, let time), .fundingPaid(_, _, _, let time):
            time
        case .filled(let fill):
            fill.time
        }
    }
}

/// Synthetic market data and configurations for the integration scenarios.
enum Integration {
    static let start = Timestamp(iso8601: "2026-03-02T00:00:00Z")!

    /// Candles from (open, high, low, close) text tuples, one `interval` apart from `start`.
    static func candles(_ rows: [(String, String, String, String)], interval: Duration = .seconds(60)) -> [Candle] {
        let span = Timestamp(milliseconds: 0).advanced(by: interval).milliseconds
        return rows.enumerated().map { index, row in
            Candle(openTime: Timestamp(milliseconds: start.milliseconds + Int64(index) * span), open: Price(row.0)!,
                   high: Price(row.1)!, low: Price(row.2)!, close: Price(row.3)!, volume: 1)
        }
    }

    static func flat(_ price: String) -> (String, String, String, String) { (price, price, price, price) }

    /// One symbol's data for `BacktestRunner.run(config:data:strategies:...)`.
    static func data(_ symbol: Symbol, _ candles: [Candle], interval: Duration = .seconds(60)) -> BacktestData {
        BacktestData(symbols: [symbol], candles: [candles], interval: interval, start: candles[0].openTime, funding: [:])
    }

    /// A configuration from TOML text (the way `qt` reads a file).
    static func config(_ text: String) throws -> AppConfig {
        try AppConfig(from: try ConfigDocument.parse(text: text, file: "integration.toml"))
    }

    /// The replay settings shared by every scenario: pessimistic path, no latency or slippage,
    /// 0.02% maker / 0.05% taker, 10,000 USDT.
    static let backtestSections = """
        [backtest]
        intrabar_path = "pessimistic"
        latency = "none"
        slippage_bps = 0
        enforce_precision = true
        default_leverage = 20
        equity_sample_interval = "1m"
        funding = "none"

        [fees]
        maker = 0.0002
        taker = 0.0005

        [account]
        initial_balance = 10000
        """

    /// Exit engine + fixed-notional sizer (`notional` USDT at `leverage`), 1.2% stop.
    static func exitEngineConfig(notional: Int = 1000, leverage: Int = 5, extraExit: String = "") throws -> AppConfig {
        try config("""
            [execution]
            policy = "exit-engine"

            [strategy]
            name = "ema-cross"
            entry_gate = "fixed-notional"
            notional = \(notional)
            leverage = \(leverage)
            stop_loss = 0.012
            take_profit = 0.0186
            round_to_exchange_grid = true

            [exit]
            stop_policy = "fixed-price-move"
            stop_move = 0.012
            base_target_move = 0.01
            backstop_buffer = 0.003
            harvest_ladders = ["10: 0.3/0.3/0.4", "30: 0.4/0.4/0.2", "1000: 0.5/0.3/0.2"]
            stop_after_first_target = "break-even-plus-fees"
            stop_after_second_target = "target-1"
            \(extraExit)

            \(backtestSections)
            """)
    }

    /// A temporary directory removed by the caller.
    static func temporaryDirectory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qt-integration-\(name)-\(UUID().uuidString)").path
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
