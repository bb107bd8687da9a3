import TradingModel

/// The watchdog's own view of the venue's positions: a position no owner reports is unprotected
/// whatever the executors say, and is closed.
extension Watchdog {
    /// A venue position and how long it has gone without an owner.
    struct VenuePosition: Sendable {
        var signedQuantity: Quantity
        /// When the position was last seen with an owner (or opened).
        var ownedAt: Timestamp
        var lastForceCloseAt: Timestamp?
    }

    mutating func learnVenuePosition(symbol: Symbol, signedQuantity: Quantity, time: Timestamp) {
        guard !signedQuantity.isZero else {
            venuePositions[symbol] = nil
            return
        }
        var position = venuePositions[symbol] ?? VenuePosition(signedQuantity: signedQuantity, ownedAt: time)
        position.signedQuantity = signedQuantity
        venuePositions[symbol] = position
    }

    /// Force-closes every venue position (of `symbol`, or all when nil) that no open owner status
    /// has covered for `missingBackstopAfter`.
    mutating func checkVenuePositions(now: Timestamp, symbol: Symbol?, into actions: inout [Action]) {
        guard !venuePositions.isEmpty else { return }
        for key in venuePositions.keys.sorted() where symbol == nil || key == symbol {
            guard var position = venuePositions[key] else { continue }
            if positions.values.contains(where: { $0.status.symbol == key }) {
                position.ownedAt = now
                venuePositions[key] = position
                continue
            }
            let due = position.lastForceCloseAt.map { now.since($0) >= settings.forceCloseRetryInterval } ?? true
            guard now.since(position.ownedAt) >= settings.missingBackstopAfter, due else { continue }
            position.lastForceCloseAt = now
            venuePositions[key] = position
            let side: Side = position.signedQuantity.isNegative ? .short : .long
            let quantity = position.signedQuantity.isNegative ? Quantity.zero - position.signedQuantity : position.signedQuantity
            let id = orderIDs.next(.flatten)
            let detail = "the venue holds \(side) \(quantity) with no exit owner reporting for \(now.since(position.ownedAt)) (limit \(settings.missingBackstopAfter))"
            actions.append(.alert(Alert(severity: .critical, kind: .watchdog(.positionWithoutOwner),
                                        message: "\(key): \(detail); force-closing at market", symbol: key, time: now)))
            actions.append(.forceClose(OrderRequest(clientOrderID: id, symbol: key, side: side.exitOrderSide, type: .market,
                                                    quantity: quantity, reduceOnly: true)))
            actions.append(.incident(Incident(kind: .positionWithoutOwner, positionKey: "\(key)-venue", symbol: key, side: side, detectedAt: now,
                                              price: lastPrice[key]?.price, stopPrice: .zero, remainingQuantity: quantity, executor: "none",
                                              detail: detail, forceCloseOrderID: id)))
        }
    }
}
