import Backtest
import Foundation
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// The exit engine wired by `[execution] policy = "exit-engine"` through the backtest runtime:
/// the same runner `qt backtest` uses, with scripted signals on synthetic bars.
@Suite(.ownThread) struct ExitEngineWiringTests {
    static let atom: Symbol = "ATOMUSDT"

    /// The ATOMUSDT incident: the old bot shorted at 2.224 with a 1.20% stop that was computed
    /// and never enforced, and held the short while the price ran to 2.262 (−1.71% price move).
    @Test func theATOMUSDTShortIsStoppedAtItsStopNotHeldToMinusOnePointSevenPercent() throws {
        // Bar 0 signals SHORT; bar 1 opens at 2.224 (entry) and runs up to 2.262; bar 2 stays there.
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262")])
        let directory = Integration.temporaryDirectory("atom")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try BacktestRunner.run(config: try Integration.exitEngineConfig(), data: Integration.data(Self.atom, candles),
                                            strategies: [ScriptedSignals(symbol: Self.atom, [0: (.short, nil)])], dataFiles: [],
                                            outputDirectory: directory, store: nil)
        let trade = try #require(result.output.trades.first)
        #expect(result.output.trades.count == 1)
        // Quantity: 1000 USDT / 2.224 = 449.6402… → floored to the 0.01 step = 449.64.
        #expect(trade.side == .short && trade.entryPrice == Price("2.224")! && trade.quantity == Quantity("449.64")!)
        // Stop: 2.224 × 1.012 = 2.250688 → rounded toward the position (down for a short) = 2.250.
        #expect(trade.exitReason == .stopLoss)
        #expect(trade.exitPrice == Price("2.25")!)
        // Price move at the exit: (2.224 − 2.250) / 2.224 = −1.169%, never the −1.71% of 2.262.
        let priceMove = (trade.entryPrice.doubleValue - trade.exitPrice.doubleValue) / trade.entryPrice.doubleValue
        #expect(priceMove > -0.0121 && priceMove < -0.0116)
        // Gross: −(2.250 − 2.224) × 449.64 = −0.026 × 449.64 = −11.69064 USDT.
        #expect(trade.grossPnL == Money("-11.69064")!)
        // The position is flat from the stop on: the final equity is not marked at 2.262.
        #expect(result.output.finalEquity == result.output.walletBalance)
        // The exit engine ran (its metrics) and the watchdog had nothing to do.
        #expect(result.exitMetricsLines.contains { $0.contains("stop") })
        #expect(result.incidents == 0)
    }

    /// 20x LONG, price running through TP1, TP2 and TP3 on three bars: the 20x band of the
    /// harvest ladder closes 40% / 40% / 20%, and the stop moves to break-even + fees after TP1.
    @Test func aTwentyTimesLongHarvestsFortyFortyTwentyAndMovesTheStopToBreakEvenAfterTP1() throws {
        let link: Symbol = "LINKUSDT"
        // Entry at 20.000 (bar 1 open); TP1 on bar 1, TP2 on bar 2, TP3 on bar 3.
        let candles = Integration.candles([Integration.flat("20"), ("20", "20.2", "20", "20.2"), ("20.2", "20.3", "20.2", "20.3"),
                                           ("20.3", "20.4", "20.3", "20.4"), Integration.flat("20.4")])
        let config = try Integration.exitEngineConfig(leverage: 20)
        let wiring = try Self.wiring(config, link, candles)
        let output = wiring.run(try Self.replay(wiring, config, link, candles), strategies: [ScriptedSignals(symbol: link, [0: (.long, nil)])])
                let trade = try #require(output.trades.first)
        #expect(output.trades.count == 1 && trade.leverage == 20)
        // 1000 USDT / 20.000 = 50.00 LINK.
        #expect(trade.quantity == Quantity("50")!)
        // LSF(20) = 1 / (1 + ln 21) = 0.2472488; moves 1% × (0.6 + LSF) = 0.8472%, 1% × (1.2 + LSF/2) = 1.3236%,
        // 1% × (1.8 + LSF/4) = 1.8618%; prices 20.169449…, 20.264724…, 20.372362… rounded down (long) to the tick:
        // TP1 20.169, TP2 20.264, TP3 20.372. Ladder "30: 0.4/0.4/0.2": 20.00, 20.00, 10.00 LINK.
        let exits = output.fills.filter { $0.side == .sell }
        #expect(exits.map(\.quantity) == [Quantity("20")!, Quantity("20")!, Quantity("10")!])
        #expect(exits.map(\.price) == [Price("20.169")!, Price("20.264")!, Price("20.372")!])
        #expect(trade.exitReason == .takeProfit3)
        // Gross: 20 × 0.169 + 20 × 0.264 + 10 × 0.372 = 3.38 + 5.28 + 3.72 = 12.38 USDT.
        #expect(trade.grossPnL == Money("12.38")!)
        // Fees (taker 0.05%): entry 1000 × 0.0005 = 0.5; exits 403.38, 405.28, 203.72 USDT × 0.0005
        // = 0.20169 + 0.20264 + 0.10186; total 1.00619 USDT. Net 12.38 − 1.00619 = 11.37381 USDT.
        #expect(trade.fees == Money("1.00619")!)
        #expect(trade.netPnL == Money("11.37381")!)
        // Stop: 20 × (1 − 0.012) = 19.760; after TP1 → break-even + fees 20 × 1.001 = 20.020; after TP2 → TP1 20.169.
        let snapshots = wiring.runtime.operations.compactMap { operation -> ExitStateSnapshot? in
            if case .saveExitState(let snapshot, _) = operation { snapshot } else { nil }
        }
        let moves = try Self.finalExitState(snapshots).stopMoves
        #expect(moves.map(\.from) == [Price("19.76")!, Price("20.02")!])
        #expect(moves.map(\.to) == [Price("20.02")!, Price("20.169")!])
        #expect(moves.map(\.reason) == [.breakEvenStop, .profitLockStop])
        // Each new stop got its exchange backstop (0.3% of entry = 0.060 beyond): 19.700, 19.960, 20.109.
        let backstops = wiring.runtime.operations.compactMap { operation -> Price? in
            if case .order(let record) = operation, record.closePosition, record.status == "SUBMITTED" { record.triggerPrice } else { nil }
        }
        #expect(backstops == [Price("19.7")!, Price("19.96")!, Price("20.109")!])
    }

    /// The process is dead right after the entry's backstop was accepted: neither the executor
    /// nor the watchdog (same process) acts any more, and the price runs through the stop. The
    /// exchange-side reduce-only close-position STOP_MARKET resting on the simulated exchange
    /// closes the position.
    @Test func withTheProcessDeadTheRestingExchangeBackstopClosesTheShort() throws {
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262")])
        let (wiring, output) = try Self.deadOwnerReplay(candles, deathTime: Timestamp(milliseconds: candles[1].openTime.milliseconds + 1),
                                                        watchdogAlive: false)
        let trade = try #require(output.trades.first)
        // Backstop: stop 2.250 + 0.3% × 2.224 (0.006672) = 2.256672 → rounded down (short) = 2.256.
        #expect(trade.exitPrice == Price("2.256")!)
        let close = try #require(output.fills.last)
        #expect(close.clientOrderID.value.hasSuffix("-bs") && close.price == Price("2.256")!)
        // The dead executor sent nothing after the entry: one entry, one backstop fill.
        #expect(output.fills.count == 2)
        #expect(wiring.runtime.incidents.isEmpty)
    }

    /// The executor died before it placed its backstop or saved any state: the position is
    /// unprotected and unreported. The watchdog, following the venue's positions itself, finds it
    /// at the first check 5 s after the entry, raises a CRITICAL alert and force-closes it.
    @Test func aPositionLeftWithoutBackstopIsFoundAndClosedByTheWatchdog() throws {
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.23", "2.22", "2.23"), ("2.23", "2.24", "2.23", "2.24"),
                                           Integration.flat("2.24")])
        let (wiring, output) = try Self.deadOwnerReplay(candles, deathTime: Timestamp(milliseconds: 0))
        let incident = try #require(wiring.runtime.incidents.first)
        #expect(incident.kind == .positionWithoutOwner)
        #expect(wiring.runtime.alerts.contains { $0.severity == .critical && $0.kind == "watchdog.position_without_owner" })
        // No backstop was ever sent: the only orders are the entry and the watchdog's close.
        #expect(output.fills.count == 2)
        #expect(!wiring.runtime.operations.contains { if case .order(let record) = $0 { record.closePosition } else { false } })
        // Opened at bar 1's open (00:01:00, short: path open → low 2.22 at +20 s): closed there.
        let trade = try #require(output.trades.first)
        #expect(output.trades.count == 1 && trade.exitReason == .watchdog)
        #expect(trade.exitTime == Timestamp(milliseconds: candles[1].openTime.milliseconds + 20_000) && trade.exitPrice == Price("2.22")!)
        #expect(output.fills.last?.clientOrderID.value.hasSuffix("-fl") == true)
    }

    /// The executor stops processing events right after placing its backstop (a stuck owner in
    /// a live process): the watchdog sees prices arrive while the executor is silent, raises a
    /// CRITICAL alert and force-closes before the price reaches the backstop.
    @Test func aSilentExecutorIsFoundByTheWatchdogAndItsPositionClosed() throws {
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.262", "2.224", "2.262"), Integration.flat("2.262")])
        let (wiring, output) = try Self.deadOwnerReplay(candles, deathTime: Timestamp(milliseconds: candles[1].openTime.milliseconds + 1))
        // Flat at the bar's start, the path is open 2.224 → low 2.224 (+20 s) → high 2.262 (+40 s); the
        // stop 2.250 is crossed at +40 s, 40 s after the executor's last event (limit 10 s).
        let incident = try #require(wiring.runtime.incidents.first)
        #expect(incident.kind == .executorSilent && incident.price == Price("2.25")!)
        #expect(wiring.runtime.alerts.contains { $0.severity == .critical && $0.kind == "watchdog.executor_silent" })
        let trade = try #require(output.trades.first)
        #expect(trade.exitReason == .watchdog && trade.exitPrice == Price("2.25")!)
        #expect(output.fills.last?.clientOrderID.value.hasSuffix("-fl") == true)
    }

    /// The position's owner is gone (no status at all): the watchdog, which follows the venue's
    /// positions itself, finds a position nobody owns, alerts and closes it.
    @Test func aPositionWithoutAnyLiveOwnerIsFoundAndClosedByTheWatchdog() throws {
        let candles = Integration.candles([Integration.flat("2.224"), ("2.224", "2.23", "2.22", "2.23"), ("2.23", "2.24", "2.23", "2.24"),
                                           Integration.flat("2.24")])
        let config = try Integration.exitEngineConfig()
        let wiring = try Self.wiring(config, Self.atom, candles)
        let output = try Self.replay(wiring, config, Self.atom, candles).run(
            strategies: [ScriptedSignals(symbol: Self.atom, [0: (.short, nil)])], gate: wiring.exitPlannedGate,
            makeExit: { LostOwner(inner: wiring.makeExecutor($0)) })
        let incident = try #require(wiring.runtime.incidents.first)
        #expect(incident.kind == .positionWithoutOwner && incident.remainingQuantity == Quantity("449.64")!)
        #expect(wiring.runtime.alerts.contains { $0.severity == .critical && $0.kind == "watchdog.position_without_owner" })
        // Opened at bar 1's open (00:01:00); unowned for ≥ 5 s at the next check, the +20 s path point (2.22).
        let trade = try #require(output.trades.first)
        #expect(output.trades.count == 1 && trade.exitReason == .watchdog)
        #expect(trade.exitTime == Timestamp(milliseconds: candles[1].openTime.milliseconds + 20_000))
        #expect(output.fills.last?.clientOrderID.value.hasSuffix("-fl") == true)
    }

    // MARK: - Helpers

    static func wiring(_ config: AppConfig, _ symbol: Symbol, _ candles: [Candle]) throws -> BacktestWiring {
        let instrument = try config.backtest.instrument(for: symbol)
        return try BacktestWiring(config: config, strategy: try #require(config.strategy), instruments: [instrument],
                                  interval: .seconds(60), start: candles[0].openTime, store: nil)
    }

    static func replay(_ wiring: BacktestWiring, _ config: AppConfig, _ symbol: Symbol, _ candles: [Candle]) throws -> Replay {
        Replay(data: Integration.data(symbol, candles), instruments: [try config.backtest.instrument(for: symbol)], settings: config.backtest,
               runtime: wiring.runtime, sendsTimers: wiring.exitEngine, progress: nil)
    }

    /// The ATOMUSDT short through the exit-engine wiring (fixed-notional sizer with the brain's
    /// plan, runtime with the watchdog, timers), with its executor dying at `deathTime` (and the
    /// watchdog too unless `watchdogAlive`).
    static func deadOwnerReplay(_ candles: [Candle], deathTime: Timestamp, watchdogAlive: Bool = true) throws -> (BacktestWiring, BacktestOutput) {
        let config = try Integration.exitEngineConfig()
        let wiring = try wiring(config, atom, candles)
        #expect(wiring.runtime.supervisor != nil)
        if !watchdogAlive { wiring.runtime.supervisor = nil }
        let output = try replay(wiring, config, atom, candles).run(
            strategies: [ScriptedSignals(symbol: atom, [0: (.short, nil)])], gate: wiring.exitPlannedGate,
            makeExit: { DeadOwner(inner: wiring.makeExecutor($0), deathTime: deathTime) })
        return (wiring, output)
    }

    static func finalExitState(_ snapshots: [ExitStateSnapshot]) throws -> ExitExecutorState {
        let last = try #require(snapshots.last)
        return try JSONDecoder().decode(ExitExecutorState.self, from: Data(last.stateJSON.utf8))
    }
}
