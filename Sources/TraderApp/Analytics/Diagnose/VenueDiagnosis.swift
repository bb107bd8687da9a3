import BinanceFutures
import TradingEngine
import TradingModel

/// The venue's side of `qt diagnose --venue`, joined with the store: each position the venue
/// holds with its figures (the same `PositionFigures` as the store's positions and the
/// dashboard), the stops resting for it on the venue and the store's exit owner, the positions the
/// store holds open that the venue does not, and the money.
public struct VenueDiagnosis: Sendable {
    /// One position the venue holds.
    public struct HeldPosition: Sendable {
        public var row: VenueSnapshot.Row
        public var side: Side
        public var quantity: Quantity
        /// The position as the store's figures see it (initial margin = entry notional / leverage).
        public var position: Position?
        /// At the venue's mark price, with the venue's liquidation price.
        public var figures: PositionFigures?
        /// Reduce-only or close-position stops on the closing side resting on the venue (nil: the
        /// orders could not be read).
        public var stops: [OrderSnapshot]?
        /// The store's exit owner of the symbol in a live run (nil: the store knows no such position).
        public var owner: StoreStatus.OpenPosition?

        /// The quantity the resting stops close when they trigger (a close-position stop: all).
        public var coveredQuantity: Quantity? {
            guard let stops else { return nil }
            if stops.contains(where: \.request.closePosition) { return quantity }
            return min(quantity, stops.reduce(Quantity.zero) { $0 + ($1.request.quantity ?? .zero) })
        }
    }

    public var snapshot: VenueSnapshot
    /// Empty when the positions could not be read.
    public var held: [HeldPosition]
    /// Open positions of live runs in the store that the venue does not hold (only when the
    /// positions were read).
    public var phantoms: [StoreStatus.OpenPosition]

    /// Joins `snapshot` with the store's open positions of `liveRunIDs`.
    public static func join(_ snapshot: VenueSnapshot, storePositions: [StoreStatus.OpenPosition], liveRunIDs: Set<Int64>) -> VenueDiagnosis {
        let owned = storePositions.filter { liveRunIDs.contains($0.runID) }
        guard let rows = snapshot.positions.value else { return VenueDiagnosis(snapshot: snapshot, held: [], phantoms: []) }
        let held = rows.sorted { $0.snapshot.symbol.name < $1.snapshot.symbol.name }.map { row in
            position(row, orders: snapshot.orders.value, owner: owned.first { $0.symbol == row.snapshot.symbol }, readAt: snapshot.readAt)
        }
        let venueSymbols = Set(rows.map(\.snapshot.symbol))
        return VenueDiagnosis(snapshot: snapshot, held: held, phantoms: owned.filter { !venueSymbols.contains($0.symbol) })
    }

    static func position(_ row: VenueSnapshot.Row, orders: [OrderSnapshot]?, owner: StoreStatus.OpenPosition?, readAt: Timestamp?) -> HeldPosition {
        let snapshot = row.snapshot
        let side: Side = snapshot.signedQuantity.isNegative ? .short : .long
        let quantity = snapshot.signedQuantity.magnitude
        let position = Diagnosis.position(symbol: snapshot.symbol, side: side, quantity: quantity, entryPrice: snapshot.entryPrice,
                                          leverage: snapshot.leverage, openedAt: readAt ?? Timestamp(milliseconds: 0))
        var figures: PositionFigures?
        if let position, let mark = row.markPrice, Diagnosis.fits(mark, quantity) {
            // The venue's liquidation price is the account's (cross or isolated): never recomputed here.
            figures = PositionFigures.of(position, at: mark, liquidationPrice: snapshot.liquidationPrice)
        }
        let closing: OrderSide = side == .long ? .sell : .buy
        let stops = orders?.filter { order in
            let request = order.request
            return request.symbol == snapshot.symbol && request.side == closing && request.type == .stopMarket
                && (request.closePosition || request.reduceOnly) && !order.status.isTerminal
        }
        return HeldPosition(row: row, side: side, quantity: quantity, position: position, figures: figures, stops: stops, owner: owner)
    }
}
