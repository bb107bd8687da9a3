import TradingModel

/// An equal-weighted index of several symbols, built minute by minute: the index moves by the
/// mean one-minute log return of its members. A minute is emitted once every member has reported
/// it; a minute left incomplete by a gap is emitted (with the members that reported) just before
/// a later minute. O(members) per completed minute.
public struct BasketIndex: Sendable {
    public let members: Set<Symbol>
    private var lastClose: [Symbol: Double] = [:]
    private var pending: [Int64: (returnSum: Double, returns: Int, reported: Set<Symbol>)] = [:]
    private var level = 1000.0

    public init(members: [Symbol]) {
        precondition(!members.isEmpty, "a basket needs members")
        self.members = Set(members)
    }

    /// Adds one member candle; returns the basket candles completed by it, in time order.
    public mutating func onCandle(_ candle: Candle, symbol: Symbol) -> [Candle] {
        guard members.contains(symbol) else { return [] }
        let minute = candle.openTime.milliseconds
        let close = candle.close.doubleValue
        var bucket = pending[minute] ?? (0, 0, [])
        if let previous = lastClose[symbol], previous > 0 {
            bucket.returnSum += log(close / previous)
            bucket.returns += 1
        }
        bucket.reported.insert(symbol)
        lastClose[symbol] = close
        pending[minute] = bucket
        guard bucket.reported.count == members.count else { return [] }
        var completed: [Candle] = []
        for earlier in pending.keys.filter({ $0 <= minute }).sorted() {
            guard let entry = pending.removeValue(forKey: earlier) else { continue }
            if entry.returns > 0 { level *= exp(entry.returnSum / Double(entry.returns)) }
            let price = Price(raw: Int64((level * Double(FixedPoint.scale)).rounded()))
            completed.append(Candle(openTime: Timestamp(milliseconds: earlier), open: price, high: price, low: price, close: price, volume: 0))
        }
        return completed
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
