/// A fixed-capacity ring of the most recent values. O(1) append and lookup; no allocation after init.
public struct RingBuffer: Sendable, Hashable {
    private var storage: [Double]
    private var head = 0
    /// Number of values held (at most the capacity).
    public private(set) var count = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "ring buffer capacity must be positive")
        storage = Array(repeating: 0, count: capacity)
    }

    public var capacity: Int { storage.count }

    /// Appends a value, dropping the oldest when full. Returns the dropped value, if any.
    @discardableResult
    public mutating func append(_ value: Double) -> Double? {
        let dropped: Double? = count == storage.count ? storage[head] : nil
        storage[head] = value
        head = (head + 1) % storage.count
        if count < storage.count { count += 1 }
        return dropped
    }

    /// The value `lag` steps back (`0` = newest); nil when not held.
    public func value(lag: Int) -> Double? {
        guard lag >= 0, lag < count else { return nil }
        let index = (head - 1 - lag + storage.count * 2) % storage.count
        return storage[index]
    }
}
