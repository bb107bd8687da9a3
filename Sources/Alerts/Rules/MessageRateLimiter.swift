import TradingEngine
import TradingModel

/// A token bucket over outgoing messages: `burst` may go at once, then `perMinute`. A
/// non-critical message without a token waits in the digest, which goes out as one message as
/// soon as a token is free (on the next timer tick). Critical messages are never held back: they
/// take a token when there is one and go out regardless (they are already one per condition).
/// Pure value; time comes from the caller.
struct MessageRateLimiter: Sendable, Hashable {
    let capacity: Double
    let refillPerSecond: Double
    private(set) var tokens: Double
    private(set) var lastRefill: Timestamp?
    /// Messages waiting for the next digest, oldest first.
    private(set) var held: [AlertMessage] = []

    init(perMinute: Int, burst: Int) {
        capacity = Double(max(1, burst))
        refillPerSecond = Double(max(1, perMinute)) / 60
        tokens = capacity
    }

    /// The messages to send now, in order; the others are held for the digest.
    mutating func admit(_ messages: [AlertMessage], at time: Timestamp) -> [AlertMessage] {
        refill(at: time)
        var out: [AlertMessage] = []
        for message in messages {
            if tokens >= 1 {
                tokens -= 1
                out.append(message)
            } else if message.severity == .critical {
                out.append(message)
            } else {
                held.append(message)
            }
        }
        return out
    }

    /// The digest of held messages when a token is free; nil otherwise or when nothing is held.
    mutating func digest(at time: Timestamp) -> AlertMessage? {
        refill(at: time)
        guard !held.isEmpty, tokens >= 1 else { return nil }
        tokens -= 1
        let messages = held
        held.removeAll()
        let worst = messages.map(\.severity).max() ?? .info
        var lines = messages.prefix(20).map { AlertMessage.Line(nil, "\(AlertFormat.clock($0.time)) \($0.title)") }
        if messages.count > 20 { lines.append(AlertMessage.Line(nil, "… and \(messages.count - 20) more (all in the store)")) }
        return AlertMessage(category: .digest, rule: "digest", severity: worst, symbol: nil,
                            title: "\(messages.count) alert(s) held back by the rate limit", lines: lines,
                            fields: ["count": "\(messages.count)"], time: time)
    }

    private mutating func refill(at time: Timestamp) {
        if let last = lastRefill, time > last {
            let seconds = Double(time.milliseconds - last.milliseconds) / 1000
            tokens = min(capacity, tokens + seconds * refillPerSecond)
        }
        if lastRefill == nil || time > lastRefill! { lastRefill = time }
    }
}
