import TradingModel

/// Purpose of an order, encoded in its client id so a person (and reconciliation) can tell
/// what an order was for.
public enum OrderPurpose: String, Sendable, Hashable, Codable {
    case entry = "en"
    case exit = "ex"
    case takeProfit = "tp"
    case stopLoss = "sl"
    case backstop = "bs"
    case flatten = "fl"
}

/// Deterministic client order ids: `qt-<run>-<sequence>-<purpose>`, unique per intent and within
/// Binance's `^[.A-Z:/a-z0-9_-]{1,36}$`. The sequence is injected state, never random.
public struct ClientOrderIDGenerator: Sendable, Hashable {
    public let runTag: String
    public private(set) var sequence: Int64

    /// `runTag`: up to 12 characters from the allowed set (e.g. a run number or session tag).
    public init(runTag: String, startingAt sequence: Int64 = 0) {
        precondition(ClientOrderID("qt-\(runTag)-0-en") != nil && runTag.utf8.count <= 12, "invalid run tag \(runTag)")
        self.runTag = runTag
        self.sequence = sequence
    }

    public mutating func next(_ purpose: OrderPurpose) -> ClientOrderID {
        sequence += 1
        guard let id = ClientOrderID("qt-\(runTag)-\(sequence)-\(purpose.rawValue)") else {
            preconditionFailure("client order id overflow")
        }
        return id
    }
}
