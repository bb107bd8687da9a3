import Foundation
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel

/// The join of the venue's positions and stops with the store's exit owners, without a venue.
@Suite("qt diagnose --venue: joining the venue with the store")
struct VenueDiagnosisTests {
    static let time = Timestamp(milliseconds: 1_767_571_200_000)

    static func row(_ symbol: Symbol, _ signed: String, entry: String, mark: String, leverage: Int = 2) -> VenueSnapshot.Row {
        VenueSnapshot.Row(snapshot: PositionSnapshot(symbol: symbol, signedQuantity: Quantity(signed)!, entryPrice: Price(entry)!, leverage: leverage,
                                                     isolatedMargin: .zero, liquidationPrice: Price("3.3")!),
                          markPrice: Price(mark)!)
    }

    static func stop(_ symbol: Symbol, _ side: OrderSide, trigger: String, quantity: String? = nil, closePosition: Bool = false,
                     reduceOnly: Bool = false, status: OrderStatus = .new) -> OrderSnapshot {
        OrderSnapshot(request: OrderRequest(clientOrderID: ClientOrderID("stop-\(trigger)")!, symbol: symbol, side: side, type: .stopMarket,
                                            quantity: quantity.flatMap { Quantity($0) }, triggerPrice: Price(trigger)!, reduceOnly: reduceOnly,
                                            closePosition: closePosition),
                      status: status, filledQuantity: .zero, averagePrice: nil, venueOrderID: "algo:1", updateTime: time)
    }

    static func owner(_ symbol: Symbol, run: Int64, side: Side = .short, quantity: String = "100") -> StoreStatus.OpenPosition {
        StoreStatus.OpenPosition(runID: run, positionKey: "\(symbol)", symbol: symbol, executor: ExitExecutor.name, side: side, entryPrice: Price("2.224")!,
                                 remainingQuantity: Quantity(quantity)!, stopPrice: Price("2.2607")!, openTargets: [], restingBackstop: Price("2.2607")!,
                                 lastPriceEventAt: time, updatedAt: time)
    }

    static func snapshot(rows: [VenueSnapshot.Row], orders: [OrderSnapshot]) -> VenueSnapshot {
        VenueSnapshot(endpoint: "http://venue", readAt: time, account: .notTried("test"), config: .notTried("test"), positions: .read(rows), orders: .read(orders))
    }

    @Test("Stops protect only on the closing side, reduce-only or close-position, still open; a reduce-only stop smaller than the position is partial")
    func stopsAndCoverage() throws {
        let orders = [Self.stop("ATOMUSDT", .buy, trigger: "2.30", quantity: "40", reduceOnly: true),
                      Self.stop("ATOMUSDT", .sell, trigger: "2.10", quantity: "100", reduceOnly: true),   // wrong side: would add to a short
                      Self.stop("ATOMUSDT", .buy, trigger: "2.31", quantity: "100"),                      // neither reduce-only nor close-position
                      Self.stop("ATOMUSDT", .buy, trigger: "2.32", closePosition: true, status: .canceled)]
        let venue = VenueDiagnosis.join(Self.snapshot(rows: [Self.row("ATOMUSDT", "-100", entry: "2.224", mark: "2.240")], orders: orders),
                                        storePositions: [Self.owner("ATOMUSDT", run: 3)], liveRunIDs: [3])
        let held = venue.held[0]
        #expect(held.stops?.map(\.request.triggerPrice) == [Price("2.30")!] && held.coveredQuantity == Quantity("40")!)
        let (first, _) = Diagnosis.venueFindings(venue)
        #expect(first.map(\.rule) == ["unprotected-on-venue"] && first[0].title == "ATOMUSDT SHORT 100: the stops resting on the venue close only 40 of 100")
        // SHORT 100 @ 2.224, 2x, mark 2.240: move = −0.016 / 2.224 = −0.719%; PnL = −100 × 0.016 = −1.60 USDT;
        // margin = 222.40 / 2 = 111.20, ROE = −1.60 / 111.20 = −1.439%.
        let figures = try #require(held.figures)
        #expect(figures.unrealizedPnL == Money("-1.6")! && abs((figures.returns.roePct ?? 0) + 1.4388489) < 1e-6)
        #expect(figures.liquidationPrice == Price("3.3")!)
    }

    @Test("A close-position stop covers the whole position; a paper run's position is neither owner nor phantom; a live one missing on the venue is a phantom")
    func ownersAndPhantoms() {
        let snapshot = Self.snapshot(rows: [Self.row("ATOMUSDT", "-100", entry: "2.224", mark: "2.240")],
                                     orders: [Self.stop("ATOMUSDT", .buy, trigger: "2.2607", closePosition: true)])
        let venue = VenueDiagnosis.join(snapshot, storePositions: [Self.owner("ATOMUSDT", run: 1), Self.owner("LINKUSDT", run: 2, side: .long)],
                                        liveRunIDs: [2])
        #expect(venue.held[0].owner == nil && venue.held[0].coveredQuantity == Quantity("100")!)
        #expect(venue.phantoms.map(\.symbol) == ["LINKUSDT"])
        let (first, others) = Diagnosis.venueFindings(venue)
        #expect(first.isEmpty && others.map(\.rule) == ["foreign-position", "phantom-position", "venue-unread"])
        // Unread positions: no phantom is claimed from an answer never received.
        var unread = snapshot
        unread.positions = .failed(VenueReadFailure(endpoint: "GET /fapi/v3/positionRisk", error: ExecutionError(.transient, message: "HTTP 502"), attempts: 3))
        let blind = VenueDiagnosis.join(unread, storePositions: [Self.owner("LINKUSDT", run: 2, side: .long)], liveRunIDs: [2])
        #expect(blind.phantoms.isEmpty && blind.held.isEmpty)
        let findings = Diagnosis.venueFindings(blind).others
        #expect(findings.map(\.rule) == ["venue-unread"] && findings[0].severity == .critical)
    }
}
