/// How likely a losing streak is under a known loss rate.
public enum LosingStreak {
    /// The trailing run of losses (net PnL ≤ 0) in `outcomes` (true = win), oldest first.
    public static func current(_ outcomes: [Bool]) -> Int {
        outcomes.reversed().prefix { !$0 }.count
    }

    /// Probability that `trades` independent trades, each lost with probability `lossRate`,
    /// contain at least one run of `length` or more consecutive losses. O(trades × length).
    ///
    /// Dynamic programming over the length of the current run of losses (0…length−1): a win
    /// resets it, a loss extends it, reaching `length` is absorbed into the answer.
    public static func probability(ofAtLeast length: Int, in trades: Int, lossRate: Double) -> Double {
        guard length >= 1 else { return 1 }
        guard trades >= length, lossRate > 0 else { return 0 }
        guard lossRate < 1 else { return 1 }
        var state = [Double](repeating: 0, count: length)
        state[0] = 1
        var reached = 0.0
        for _ in 0..<trades {
            var next = [Double](repeating: 0, count: length)
            for run in 0..<length where state[run] > 0 {
                next[0] += state[run] * (1 - lossRate)
                if run + 1 == length { reached += state[run] * lossRate } else { next[run + 1] += state[run] * lossRate }
            }
            state = next
        }
        return reached
    }
}
