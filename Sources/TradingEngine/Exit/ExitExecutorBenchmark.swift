import TradingModel

/// Micro-benchmark of the executor's decision on a price event that crosses nothing (the hot
/// path: nearly every event). The clock is injected (`ContinuousClock()` from the bench
/// command) so the engine itself never reads time. Run it in a release build.
public enum ExitExecutorBenchmark {
    /// Result of one run.
    public struct Result: Sendable, Hashable {
        public var iterations: Int
        public var nanosecondsPerDecision: Double
        /// Actions returned over the run (0: no event crossed a level).
        public var actionsReturned: Int
    }

    /// Feeds `iterations` price events oscillating inside the stop/target band of a 20x ATOM-like
    /// long and returns the mean time per `on(.price)` decision.
    public static func run<C: Clock>(iterations: Int, clock: C) -> Result where C.Duration == Duration {
        precondition(iterations > 0, "iterations must be positive")
        var executor = makeExecutor()
        let base = Price("2.224")!.raw
        var events: [ExitEvent] = []
        events.reserveCapacity(1024)
        for index in 0..<1024 {
            // ±0.4% around entry: inside the 1.20% stop and below TP1 (≈0.82%).
            let offset = Int64(index % 17 - 8) * 110_000
            let time = Timestamp(milliseconds: 1_700_000_000_000 + Int64(index))
            events.append(.price(PriceEvent(symbol: "ATOMUSDT", price: Price(raw: base + offset), source: .markPrice,
                                            eventTime: time, receiveTime: time)))
        }
        var actions = 0
        let start = clock.now
        for index in 0..<iterations {
            actions &+= executor.on(events[index & 1023]).count
        }
        let elapsed = start.duration(to: clock.now)
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        return Result(iterations: iterations, nanosecondsPerDecision: nanoseconds / Double(iterations), actionsReturned: actions)
    }

    static func makeExecutor() -> ExitExecutor {
        let instrument = Instrument(
            symbol: "ATOMUSDT", baseAsset: "ATOM", tickSize: Price("0.001")!, stepSize: Quantity("0.01")!,
            minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 5),
            marginBrackets: [MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 50_000), maintenanceMarginRate: Rate("0.01")!,
                                           maintenanceAmount: .zero, maxLeverage: 50)])
        let settings = ExitSettings()
        guard let brain = try? ExitBrain(settings: settings),
              case .success(let plan) = brain.plan(symbol: "ATOMUSDT", side: .long, entryPrice: Price("2.224")!, quantity: Quantity("446.03")!,
                                                   leverage: 20, instrument: instrument)
        else { preconditionFailure("benchmark plan must be valid") }
        let position = Position(symbol: "ATOMUSDT", side: .long, quantity: plan.quantity, entryPrice: plan.entryPrice, leverage: 20,
                                isolatedMargin: Money("49.598536")!, openedAt: Timestamp(milliseconds: 1_700_000_000_000))
        var executor = ExitExecutor(plan: plan, position: position, instrument: instrument, settings: settings,
                                    positionKey: "bench", orderIDs: ClientOrderIDGenerator(runTag: "bench"))
        let started = executor.start(at: position.openedAt)
        if case .submit(let backstop) = started.first {
            _ = executor.on(.execution(.accepted(backstop.clientOrderID, symbol: "ATOMUSDT", venueOrderID: nil, time: position.openedAt)))
        }
        return executor
    }
}
