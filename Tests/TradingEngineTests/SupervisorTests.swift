import Testing
import TradingEngine
import TradingModel

/// The supervisor both drivers run beside the kernel: the venue's position learned from what the
/// venue reports (fills for a simulated exchange, position reports for Binance), and the
/// watchdog's force-close stamped with the time of the event that caused it.
@Suite struct SupervisorTests {
    static let atom: Symbol = "ATOMUSDT"
    static func time(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: 1_700_000_000_000 + seconds * 1000) }

    static func fill(_ side: OrderSide, _ quantity: String, at seconds: Int64) -> ExecutionEvent {
        .filled(Fill(clientOrderID: ClientOrderID("qt-t-1-en")!, symbol: atom, side: side, price: Price("2.224")!, quantity: Quantity(quantity)!,
                     fee: .zero, liquidity: .taker, time: time(seconds)))
    }

    static func supervisor(_ source: Supervisor.VenuePositions) -> Supervisor {
        Supervisor(watchdog: Watchdog(settings: Watchdog.Settings(), orderIDs: ClientOrderIDGenerator(runTag: "sv")), venuePositions: source)
    }

    @Test func aSimulatedVenuesPositionIsTheSumOfItsFills() {
        var supervisor = Self.supervisor(.fromFills)
        _ = supervisor.on(.venue(Self.fill(.sell, "100", at: 0)))
        _ = supervisor.on(.venue(Self.fill(.buy, "40", at: 1)))
        #expect(supervisor.positions[Self.atom] == Quantity("-60")!)
        _ = supervisor.on(.venue(Self.fill(.buy, "60", at: 2)))
        #expect(supervisor.positions[Self.atom] == nil)
    }

    @Test func binancesPositionIsItsPositionReportNotItsFills() {
        var supervisor = Self.supervisor(.fromPositionReports)
        _ = supervisor.on(.venue(Self.fill(.sell, "100", at: 0)))
        #expect(supervisor.positions.isEmpty)
        _ = supervisor.on(.venue(.positionChanged(symbol: Self.atom, signedQuantity: Quantity("-100")!, time: Self.time(0))))
        _ = supervisor.on(.venue(Self.fill(.sell, "100", at: 0)))   // the same execution's fill, after its report
        #expect(supervisor.positions[Self.atom] == Quantity("-100")!)
        _ = supervisor.on(.venue(.liquidated(symbol: Self.atom, price: Price("2.5")!, quantity: Quantity("100")!, time: Self.time(9))))
        #expect(supervisor.positions.isEmpty)
    }

    @Test func ignoredVenuePositionsAreNotLearned() {
        var supervisor = Self.supervisor(.ignored)
        _ = supervisor.on(.venue(.positionChanged(symbol: Self.atom, signedQuantity: Quantity("-100")!, time: Self.time(0))))
        _ = supervisor.on(.venuePosition(symbol: Self.atom, signedQuantity: Quantity("-100")!, time: Self.time(0)))
        #expect(supervisor.positions.isEmpty)
        #expect(supervisor.on(.timer(Self.time(60))).isEmpty)
    }

    /// A venue position no owner reports is force-closed once `missingBackstopAfter` (5 s) has
    /// passed, at the tick that found it (not at an earlier alert's time).
    @Test func aForceCloseIsStampedWithTheTickThatCausedIt() throws {
        var supervisor = Self.supervisor(.fromPositionReports)
        _ = supervisor.on(.venuePosition(symbol: Self.atom, signedQuantity: Quantity("-100")!, time: Self.time(0)))
        _ = supervisor.on(.timer(Self.time(1)))
        let actions = supervisor.on(.timer(Self.time(7)))
        let forceClose = try #require(actions.compactMap { if case .forceClose(let order, let time) = $0 { (order, time) } else { nil } }.first)
        #expect(forceClose.1 == Self.time(7))
        #expect(forceClose.0.reduceOnly && forceClose.0.side == .buy && forceClose.0.quantity == Quantity("100")!)
    }
}
