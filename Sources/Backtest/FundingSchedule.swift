import TradingModel

/// Where funding settlements come from in a replay.
public enum FundingSchedule: Sendable, Hashable {
    /// No funding (the reference benchmark).
    case none
    /// The same rate at every multiple of `interval` since the epoch (Binance: 8 h at 00/08/16 UTC).
    case constant(rate: Rate, interval: Duration)
    /// Historical settlements (a funding file), sorted by time.
    case history([FundingRate])
}

/// Walks a `FundingSchedule` forward in time: O(1) per bar, no allocation.
public struct FundingCursor: Sendable {
    public let schedule: FundingSchedule
    @usableFromInline var index = 0
    /// Time of the next settlement (`Int64.max` when none is left).
    @usableFromInline var nextTime: Int64 = .max
    @usableFromInline let intervalMilliseconds: Int64

    public init(_ schedule: FundingSchedule, start: Timestamp) {
        self.schedule = schedule
        switch schedule {
        case .none:
            intervalMilliseconds = 0
        case .constant(_, let interval):
            let step = Timestamp(milliseconds: 0).advanced(by: interval).milliseconds
            precondition(step > 0, "funding interval must be positive")
            intervalMilliseconds = step
            nextTime = (start.milliseconds / step + 1) * step
        case .history(let rates):
            intervalMilliseconds = 0
            while index < rates.count && rates[index].fundingTime <= start { index += 1 }
            nextTime = index < rates.count ? rates[index].fundingTime.milliseconds : .max
        }
    }

    /// The settlement due at or before `time`, advancing past it; nil when none is due.
    @inlinable
    public mutating func due(at time: Timestamp) -> FundingRate? {
        guard time.milliseconds >= nextTime else { return nil }
        return advance()
    }

    @usableFromInline
    mutating func advance() -> FundingRate? {
        switch schedule {
        case .none:
            return nil
        case .constant(let rate, _):
            let settlement = FundingRate(fundingTime: Timestamp(milliseconds: nextTime), rate: rate)
            nextTime += intervalMilliseconds
            return settlement
        case .history(let rates):
            let settlement = rates[index]
            index += 1
            nextTime = index < rates.count ? rates[index].fundingTime.milliseconds : .max
            return settlement
        }
    }
}
