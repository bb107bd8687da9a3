import TradingEngine
import TradingModel

extension RunRecording {
    /// Where a recording's orders are, for a batch that writes each order's row once: per order
    /// (in the order of first appearance) the time of its first event and the index in
    /// `operations` of its last one (its final state), and the indices of every order event in
    /// recording order. The one-record calls upsert the row at every event instead; the rows come
    /// out the same.
    struct OrderRows {
        var orders: [(firstSeen: Timestamp, last: Int)] = []
        var events: [Int] = []
        /// Whether any operation is not an order event (exit-state saves and deletes, risk events).
        var hasOtherOperations = false
    }

    var orderRows: OrderRows {
        var rows = OrderRows()
        var orderIndex: [OrderKey: Int] = [:]
        rows.events.reserveCapacity(operations.count)
        for (position, operation) in operations.enumerated() {
            guard case .order(let event) = operation else { rows.hasOtherOperations = true; continue }
            rows.events.append(position)
            let key = OrderKey(event.clientOrderID)
            if let index = orderIndex[key] {
                rows.orders[index].last = position
            } else {
                orderIndex[key] = rows.orders.count
                rows.orders.append((event.time, position))
            }
        }
        return rows
    }

    /// A client order id as a dictionary key hashed by one word (FNV-1a of its bytes) instead of
    /// the whole text: the batch looks up every order event's order (100,000+ lookups in a long
    /// run). Equal ids have equal fingerprints; equality still compares the text.
    private struct OrderKey: Hashable {
        let text: String
        let fingerprint: UInt64

        init(_ id: ClientOrderID) {
            var text = id.value
            fingerprint = text.withUTF8 { bytes in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                return hash
            }
            self.text = text
        }

        static func == (lhs: OrderKey, rhs: OrderKey) -> Bool { lhs.fingerprint == rhs.fingerprint && lhs.text == rhs.text }

        func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }
    }
}
