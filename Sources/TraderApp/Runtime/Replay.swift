import Backtest
import TradingEngine
import TradingModel

/// One backtest replay, generic over the strategy, the entry gate and the exit owner the
/// configuration named: builds the kernel, the simulated exchange and the engine with the
/// runtime observer, feeds every candle in time order and finishes.
struct Replay {
    let data: BacktestData
    let instruments: [Instrument]
    let settings: BacktestSettings
    let runtime: BacktestRuntime
    let sendsTimers: Bool
    let progress: ((Int64, Int64) -> Void)?

    /// `strategies`: one per instrument, in the same order. `startRisk`: given to the gate's risk
    /// engine before the first candle (the store's manual halt).
    func run<Strategy: TradingStrategy, Gate: EntryGate, Exit: PositionExitOwner>(
        strategies: [Strategy], gate: Gate, makeExit: @escaping (ExitOwnerContext) -> Exit, startRisk: RiskEvent? = nil
    ) -> BacktestOutput {
        let kernel = TradingKernel<Strategy, Gate, Exit>(
            instruments: instruments, strategies: strategies,
            gate: gate, initialBalance: settings.initialBalance, equitySampleInterval: settings.equitySampleInterval, runTag: "bt",
            makeExitOwner: makeExit)
        let exchange = SimulatedExchange(
            instruments: instruments, initialBalance: settings.initialBalance,
            settings: SimulatedExchangeSettings(fees: settings.fees, slippageBasisPoints: Int64(settings.slippageBasisPoints),
                                                latency: settings.latency, enforcePrecision: settings.enforcePrecision,
                                                defaultLeverage: settings.defaultLeverage))
        let funding: [FundingSchedule] = data.symbols.map { symbol in
            switch settings.funding {
            case .none: .none
            case .constant: .constant(rate: settings.fundingRate, interval: settings.fundingInterval)
            case .file: .history(data.funding[symbol] ?? [])
            }
        }
        var engine = BacktestEngine(kernel: kernel, exchange: exchange, path: settings.path,
                                    funding: funding.map { FundingCursor($0, start: data.start) })
        engine.sendsTimers = sendsTimers
        engine.observer = runtime
        if let startRisk { engine.onRisk(startRisk) }
        let total = data.barCount
        var done: Int64 = 0
        var cursor = data.makeCursor()
        while let (index, candle) = cursor.next() {
            engine.onCandle(candle, interval: data.interval, symbolIndex: index)
            done += 1
            if done & 0xFFFF == 0 { progress?(done, total) }
        }
        progress?(done, total)
        return engine.finish()
    }
}
