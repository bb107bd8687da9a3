import Testing
import TradingEngine
import TradingModel

@Suite("Watchdog: venue positions without an owner")
struct WatchdogVenuePositionTests {
    typealias F = ExitFixtures

    func status(remaining: String = "446.03", at seconds: Double = 0) -> TradingEngine.ExitStatus {
        TradingEngine.ExitStatus(positionKey: "ATOMUSDT-1", symbol: "ATOMUSDT", executor: "tick-exit-executor", side: .short, phase: .active,
                                 entryPrice: Price("2.224")!, remainingQuantity: Quantity(remaining)!, stopPrice: Price("2.250")!,
                                 stopReason: .stopLoss, restingBackstopPrice: Price("2.256")!, openTargets: [],
                                 lastPriceEventAt: F.time(0), lastEventAt: F.time(seconds))
    }

    @Test("a venue short no owner reports for 5 s → CRITICAL, reduce-only BUY of the whole position, incident")
    func orphanIsClosed() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        #expect(watchdog.on(.venuePosition(symbol: "ATOMUSDT", signedQuantity: Quantity("-446.03")!, time: F.time(0))) == [])
        #expect(watchdog.on(.timer(F.time(4))) == [], "within missingBackstopAfter (5 s)")
        let fired = watchdog.on(.timer(F.time(5)))
        guard fired.count == 3, case .alert(let alert) = fired[0], case .forceClose(let order) = fired[1], case .incident(let incident) = fired[2] else {
            Issue.record("expected alert, force-close, incident; got \(fired)")
            return
        }
        #expect(alert.severity == .critical && alert.kind == "watchdog.position_without_owner")
        #expect(order == OrderRequest(clientOrderID: ClientOrderID("qt-wd-1-fl")!, symbol: "ATOMUSDT", side: .buy, type: .market,
                                      quantity: Quantity("446.03")!, reduceOnly: true))
        #expect(incident.kind == .positionWithoutOwner && incident.executor == "none")
        // Not again before forceCloseRetryInterval (5 s), again after it.
        #expect(watchdog.on(.timer(F.time(9))) == [])
        #expect(watchdog.on(.timer(F.time(10))).count == 3)
    }

    @Test("a venue position its owner reports is left to the owner; flat is forgotten")
    func ownedIsLeftAlone() {
        var watchdog = Watchdog(orderIDs: ClientOrderIDGenerator(runTag: "wd"))
        _ = watchdog.on(.venuePosition(symbol: "ATOMUSDT", signedQuantity: Quantity("-446.03")!, time: F.time(0)))
        _ = watchdog.on(.status(status(at: 30)))  // the owner processed the tick
        #expect(watchdog.on(.timer(F.time(30))) == [])
        _ = watchdog.on(.positionClosed(positionKey: "ATOMUSDT-1"))
        _ = watchdog.on(.venuePosition(symbol: "ATOMUSDT", signedQuantity: .zero, time: F.time(31)))
        #expect(watchdog.on(.timer(F.time(60))) == [])
    }
}
