import TradingModel

/// Funding a perpetual position pays while open, as a fraction of its notional.
///
/// Settlements are at 00:00, 08:00 and 16:00 UTC; a position pays for each settlement `t` with
/// `entry < t ≤ exit` (held at the snapshot). With the symbol's recorded rates (a settlement's
/// rate is the recorded one within one minute of it) a long pays `rate` and a short receives
/// it; a settlement without a recorded rate, or a symbol without a funding file, costs
/// `assumedRate` to long and short alike (the sign is unknown, so it is charged as a cost).
public struct FundingSchedule: Sendable {
    /// Recorded settlements sorted by time: (time ms, rate).
    public var rates: [(time: Int64, rate: Double)]
    public var assumedRate: Double

    public static let intervalMs: Int64 = 8 * 3_600_000

    public init(rates: [(time: Int64, rate: Double)], assumedRate: Double) {
        self.rates = rates.sorted { $0.time < $1.time }
        self.assumedRate = assumedRate
    }

    public init(fundingRates: [FundingRate], assumedRate: Double) {
        self.init(rates: fundingRates.map { ($0.fundingTime.milliseconds, $0.rate.doubleValue) }, assumedRate: assumedRate)
    }

    /// Funding paid (positive) or received (negative) by `side` held from `entry` to `exit`.
    public func cost(side: Side, entry: Timestamp, exit: Timestamp) -> Double {
        guard exit > entry else { return 0 }
        var settlement = (entry.milliseconds / Self.intervalMs + 1) * Self.intervalMs
        var total = 0.0
        while settlement <= exit.milliseconds {
            if let recorded = recordedRate(at: settlement) {
                total += side == .long ? recorded : -recorded
            } else {
                total += assumedRate
            }
            settlement += Self.intervalMs
        }
        return total
    }

    /// The recorded rate within one minute of `time`, if any (binary search).
    func recordedRate(at time: Int64) -> Double? {
        var low = 0, high = rates.count
        while low < high {
            let middle = (low + high) / 2
            if rates[middle].time < time - 60_000 { low = middle + 1 } else { high = middle }
        }
        guard low < rates.count, abs(rates[low].time - time) <= 60_000 else { return nil }
        return rates[low].rate
    }
}
