import Backtest
import TradingEngine
import TradingModel

/// A strategy that signals the given side at the close of the given bar indices (tests only).
struct ScriptedStrategy: TradingStrategy {
    let symbol: Symbol
    let signals: [Int: Side]
    var bar = 0

    mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
        defer { bar += 1 }
        guard let side = signals[bar] else { return nil }
        return Signal(symbol: symbol, side: side, confidence: nil, time: closeTime, source: "scripted")
    }
}

/// Builds candles and runs scenarios through the full kernel + simulated exchange.
enum Scenario {
    static let start = Timestamp(iso8601: "2026-01-01T00:00:00Z")!
    static let instrument = Instrument(
        symbol: "TESTUSDT", baseAsset: "TEST", tickSize: Price("0.01")!, stepSize: Quantity("0.001")!, minQuantity: Quantity("0.001")!,
        maxQuantity: Quantity(units: 1_000_000), minNotional: Money(units: 5),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
            MarginBracket(notionalFloor: Money(units: 5000), notionalCap: Money(units: 90_000_000_000), maintenanceMarginRate: Rate("0.025")!, maintenanceAmount: Money(units: 75), maxLeverage: 20),
        ])

    /// Candles from (open, high, low, close) text tuples, one `interval` apart from `start`.
    static func candles(_ rows: [(String, String, String, String)], interval: Int64 = 60_000) -> [Candle] {
        rows.enumerated().map { index, row in
            Candle(openTime: Timestamp(milliseconds: start.milliseconds + Int64(index) * interval), open: Price(row.0)!,
                   high: Price(row.1)!, low: Price(row.2)!, close: Price(row.3)!, volume: 1)
        }
    }

    static func flat(_ price: String) -> (String, String, String, String) { (price, price, price, price) }

    /// Runs `candles` with 1000 USDT entries, the reference fees (0.04%), the given leverage,
    /// stop/target moves and funding.
    static func run(_ candles: [Candle], signals: [Int: Side], leverage: Int = 1, stopMove: String = "0.012",
                    targetMove: String = "0.0186", funding: FundingSchedule = .none, interval: Duration = .seconds(60)) -> BacktestOutput {
        let entry = FixedNotionalEntryGate.Settings(notional: Money(units: 1000), leverage: leverage, stopMove: Rate(stopMove)!,
                                                    targetMove: Rate(targetMove)!, roundQuantityToStep: false)
        let exit = FixedBracketExit.Settings(stopMove: Rate(stopMove)!, targetMove: Rate(targetMove)!, armDelay: interval, roundToTick: false)
        let kernel = TradingKernel<ScriptedStrategy, FixedNotionalEntryGate, FixedBracketExit>(
            instruments: [instrument], strategies: [ScriptedStrategy(symbol: instrument.symbol, signals: signals)],
            gate: FixedNotionalEntryGate(settings: entry), initialBalance: Money(units: 10_000), equitySampleInterval: .seconds(60),
            runTag: "sc", makeExitOwner: { FixedBracketExit(context: $0, settings: exit) })
        let exchange = SimulatedExchange(instruments: [instrument], initialBalance: Money(units: 10_000),
                                         settings: EMACrossBacktest.Settings.reference.exchange)
        var engine = BacktestEngine(kernel: kernel, exchange: exchange, path: .pessimistic,
                                    funding: [FundingCursor(funding, start: candles[0].openTime)])
        for candle in candles { engine.onCandle(candle, interval: interval, symbolIndex: 0) }
        return engine.finish()
    }
}
