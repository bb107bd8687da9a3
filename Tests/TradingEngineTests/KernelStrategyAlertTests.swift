import Testing
import TradingEngine
import TradingModel

/// A strategy's alerts come back with its bar's signal, and the kernel emits them as actions.
@Suite struct KernelStrategyAlertTests {
    /// Cannot answer on its second bar (a model error): no signal, one critical alert.
    struct FailsOnSecondBar: TradingStrategy {
        var bar = 0
        mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
            defer { bar += 1 }
            guard bar == 1 else { return nil }
            alerts.append(Alert(severity: .critical, kind: .modelError, message: "no signal: the model failed", symbol: TestInstrument.symbol,
                                time: closeTime))
            return nil
        }
    }

    static let gate = FixedNotionalEntryGate(settings: .init(notional: 1000, leverage: 2, stopMove: Rate("0.01")!, targetMove: Rate("0.02")!,
                                                             roundQuantityToStep: true))

    static func bar<Strategy: TradingStrategy>(_ kernel: inout TradingKernel<Strategy, FixedNotionalEntryGate, QuietExitOwner>, minute: Int64,
                    into actions: inout [KernelAction]) {
        let candle = Candle(openTime: Timestamp(milliseconds: minute * 60_000), open: 100, high: 100, low: 100, close: 100, volume: 1)
        kernel.onBar(candle, interval: .seconds(60), closeTime: Timestamp(milliseconds: (minute + 1) * 60_000), symbolIndex: 0, into: &actions)
    }

    @Test func aStrategysAlertIsEmittedOnceAtItsBar() {
        var kernel = TradingKernel<FailsOnSecondBar, FixedNotionalEntryGate, QuietExitOwner>(
            instruments: [TestInstrument.instrument], strategies: [FailsOnSecondBar()], gate: Self.gate, initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { _ in QuietExitOwner() })
        var actions: [KernelAction] = []
        Self.bar(&kernel, minute: 0, into: &actions)
        #expect(actions.isEmpty)
        Self.bar(&kernel, minute: 1, into: &actions)
        #expect(actions == [.alert(Alert(severity: .critical, kind: .modelError, message: "no signal: the model failed",
                                         symbol: TestInstrument.symbol, time: Timestamp(milliseconds: 120_000)))])
        actions.removeAll()
        Self.bar(&kernel, minute: 2, into: &actions)
        #expect(actions.isEmpty, "an alert is emitted once")
        #expect(!kernel.hasPendingSignal(at: 0))
    }

    @Test func aStrategyWithoutAlertsLeavesTheBufferUnallocated() {
        var kernel = TradingKernel<LongEveryBar, FixedNotionalEntryGate, QuietExitOwner>(
            instruments: [TestInstrument.instrument], strategies: [LongEveryBar()], gate: Self.gate, initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { _ in QuietExitOwner() })
        var actions: [KernelAction] = []
        for minute in Int64(0)..<100 { Self.bar(&kernel, minute: minute, into: &actions) }
        #expect(actions.isEmpty && kernel.hasPendingSignal(at: 0))
        #expect(kernel.strategyAlertCapacity == 0)
    }
}
