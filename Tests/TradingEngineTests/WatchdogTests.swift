import Testing
import TradingEngine
import TradingModel

@Suite("Watchdog: independent of the executor")
struct WatchdogTests {
    typealias F = ExitFixtures

    /// ATOM short 446.03 @ 2.224, stop 2.250, backstop resting at 2.256 unless told otherwise.
    func status(backstop: Price? = Price("2.256")!, lastEventAt seconds: Double = 0) -> TradingEngine.ExitStatus {
        TradingEngine.ExitStatus(positionKey: "ATOMUSDT-1", symbol: "ATOMUSDT", executor: "tick-exit-executor", side: .short, phase: .active,
                   entryPrice: Price("2.224")!, remainingQuantity: Quantity("446.03")!, stopPrice: Price("2.250")!, stopReason: .stopLoss,
                   restingBackstopPrice: backstop, openTargets: [], lastPriceEventAt: F.time(seconds), lastEventAt: F.time(seconds))
    }

    func price(_ text: String, at seconds: Double) -> Watchdog.Event {
        .price(PriceEvent(symbol: "ATOMUSDT", price: Price(text)!, source: .markPrice, eventTime: F.time(seconds), receiveTime: F.time(seconds)))
    }

    func incidents(_ actions: [Watchdog.Action]) -> [Incident.Kind] {
        actions.compactMap { if case .incident(let incident) = $0 { incident.kind } else { nil } }
    }

    @Test("beyond the stop by more than the tolerance for longer than the grace → CRITICAL, force-close, incident")
    func beyondStop() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        _ = watchdog.on(.status(status()))
        // tolerance: 2.250 + 0.2% × 2.224 = 2.254448
        #expect(watchdog.on(price("2.2544", at: 0.5)) == [], "inside the tolerance")
        #expect(watchdog.on(price("2.26", at: 1)) == [], "beyond, but the grace (2 s) has not passed")
        // the executor keeps processing events, so only the stop finding fires
        _ = watchdog.on(.status(status(lastEventAt: 2.5)))
        let fired = watchdog.on(price("2.261", at: 3))
        #expect(incidents(fired) == [.beyondStop])
        guard case .alert(let alert) = fired.first, case .forceClose(let order) = fired[1] else {
            Issue.record("expected an alert and a force-close, got \(fired)")
            return
        }
        #expect(alert.severity == .critical && alert.kind == "watchdog.beyond_stop")
        #expect(order.reduceOnly && order.type == .market && order.side == .buy && order.quantity == Quantity("446.03")!)
        #expect(order.clientOrderID.value == "qt-wd-1-fl")
    }

    @Test("a price back inside resets the beyond-stop clock")
    func beyondStopReset() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        _ = watchdog.on(.status(status()))
        _ = watchdog.on(price("2.26", at: 1))
        _ = watchdog.on(price("2.24", at: 2))
        _ = watchdog.on(.status(status(lastEventAt: 3.4)))
        #expect(watchdog.on(price("2.26", at: 3.5)) == [])
    }

    @Test("no accepted backstop for more than 5 s → incident")
    func missingBackstop() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        _ = watchdog.on(.status(status(backstop: nil, lastEventAt: 0)))
        #expect(watchdog.on(.timer(F.time(4))) == [])
        #expect(incidents(watchdog.on(.timer(F.time(5)))) == [.missingBackstop])
    }

    @Test("a quiet market is not a silent executor: an owner that processes the timer ticks is alive without prices")
    func quietMarket() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        _ = watchdog.on(.status(status(lastEventAt: 0)))
        // The host gives the owner each tick, then its status, then the watchdog its tick.
        _ = watchdog.on(.status(status(lastEventAt: 600)))
        #expect(watchdog.on(.timer(F.time(600))) == [], "ticks processed: alive")
        #expect(watchdog.on(price("2.23", at: 601)) == [])
    }

    @Test("The watchdog works when prices stop: an owner that stops processing even the timer ticks is silent (checked on the timer)")
    func silentWithoutPrices() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        _ = watchdog.on(.status(status(lastEventAt: 0)))
        #expect(watchdog.on(.timer(F.time(9))) == [])
        #expect(incidents(watchdog.on(.timer(F.time(10)))) == [.executorSilent])
    }

    @Test("a closed position is no longer watched")
    func closed() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        _ = watchdog.on(.status(status()))
        #expect(watchdog.watchedPositionKeys == ["ATOMUSDT-1"])
        _ = watchdog.on(.positionClosed(positionKey: "ATOMUSDT-1"))
        #expect(watchdog.on(price("2.40", at: 100)) == [])
    }
}
