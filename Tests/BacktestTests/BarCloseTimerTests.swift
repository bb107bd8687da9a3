import Backtest
import Testing
import TradingEngine
import TradingModel

/// A candle file has no wall-clock ticks: with `sendsTimers` the backtest engine sends `.timer`
/// to every exit owner at each bar close, before the kernel sees the bar, so an owner's
/// timer-driven work (close retries, backstop deadlines) happens in a replay (`qt backtest`,
/// `qt paper --data`) at the bar closes.
@Suite struct BarCloseTimerTests {
    /// The times an owner was sent `.timer` (shared by the owner's copies).
    final class Ticks: @unchecked Sendable {
        // @unchecked: used from the test's one thread only.
        var times: [Timestamp] = []
    }

    /// `FixedBracketExit` that records its timer ticks.
    struct RecordingOwner: PositionExitOwner {
        var inner: FixedBracketExit
        let ticks: Ticks
        var executorName: String { inner.executorName }
        var watchedLevels: WatchedPriceLevels { inner.watchedLevels }
        mutating func on(_ event: ExitEvent) -> [ExitAction] {
            if case .timer(let time) = event { ticks.times.append(time) }
            return inner.on(event)
        }
    }

    static func run(sendsTimers: Bool) -> (ticks: [Timestamp], trades: Int) {
        let instrument = Scenario.instrument
        let entry = FixedNotionalEntryGate.Settings(notional: Money(units: 1000), leverage: 1, stopMove: Rate("0.5")!,
                                                    targetMove: Rate("0.5")!, roundQuantityToStep: false)
        let exit = FixedBracketExit.Settings(stopMove: Rate("0.5")!, targetMove: Rate("0.5")!, armDelay: .seconds(60), roundToTick: false)
        let ticks = Ticks()
        let kernel = TradingKernel<ScriptedStrategy, FixedNotionalEntryGate, RecordingOwner>(
            instruments: [instrument], strategies: [ScriptedStrategy(symbol: instrument.symbol, signals: [0: .long])],
            gate: FixedNotionalEntryGate(settings: entry), initialBalance: Money(units: 10_000), equitySampleInterval: .seconds(60),
            runTag: "tm", makeExitOwner: { RecordingOwner(inner: FixedBracketExit(context: $0, settings: exit), ticks: ticks) })
        var engine = BacktestEngine(kernel: kernel, exchange: SimulatedExchange(instruments: [instrument], initialBalance: Money(units: 10_000),
                                                                                settings: EMACrossBacktest.Settings.reference.exchange),
                                    path: .pessimistic, funding: [FundingCursor(.none, start: Scenario.start)])
        engine.sendsTimers = sendsTimers
        let candles = Scenario.candles([Scenario.flat("10"), Scenario.flat("10"), Scenario.flat("10"), Scenario.flat("10")])
        for candle in candles { engine.onCandle(candle, interval: .seconds(60), symbolIndex: 0) }
        let output = engine.finish()
        return (ticks.times, output.trades.count)
    }

    /// The signal at bar 0's close enters at bar 1's open (60 s), where the kernel sends the new
    /// owner its first tick; then the owner gets one at the closes of bars 1, 2 and 3 (120, 180,
    /// 240 s). Without `sendsTimers` only the first tick.
    @Test func ownersGetATimerAtEveryBarCloseOfAReplay() {
        let minute: (Int64) -> Timestamp = { Timestamp(milliseconds: Scenario.start.milliseconds + $0 * 60_000) }
        let timed = Self.run(sendsTimers: true)
        #expect(timed.ticks == [minute(1), minute(2), minute(3), minute(4)])
        #expect(timed.trades == 1)
        #expect(Self.run(sendsTimers: false).ticks == [minute(1)])
    }
}
