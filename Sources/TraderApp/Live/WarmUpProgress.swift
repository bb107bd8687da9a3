import TradingModel

/// The contiguous 1 m history one symbol has been fed (back-fill, then live klines) and
/// whether it is enough to trade on: at least `requiredHours` complete clock hours and
/// `strategyBars` bars without a missing minute. Once ready it stays ready. Value type.
struct WarmUpProgress: Sendable, Hashable {
    /// What a kline's open time means for the run.
    enum Step: Sendable, Hashable {
        /// Not newer than the last kline fed (already fed from the back-fill): skip it.
        case duplicate
        /// The next minute (or the first kline).
        case next
        /// `missing` minutes are missing before it.
        case gap(missing: Int)
    }

    let requiredHours: Int
    let strategyBars: Int
    private(set) var runStart: Timestamp?
    private(set) var lastOpen: Timestamp?
    private(set) var ready = false
    /// Whether a live kline has been accepted (the seam to the back-fill is behind us).
    var sawLive = false
    /// Why the history is not complete (a failed back-fill, a gap), for the block reason.
    var problem: String?

    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000

    init(plan: WarmUpPlan) {
        requiredHours = plan.requiredHours
        strategyBars = plan.strategyBars
    }

    func classify(_ openTime: Timestamp) -> Step {
        guard let lastOpen else { return .next }
        if openTime <= lastOpen { return .duplicate }
        let missing = (openTime.milliseconds - lastOpen.milliseconds) / Self.minute - 1
        return missing == 0 ? .next : .gap(missing: Int(missing))
    }

    /// Feeds a kline newer than the last; a gap restarts the contiguous run at it.
    /// Returns true when this kline made the history ready.
    mutating func accept(_ openTime: Timestamp) -> Bool {
        if case .gap = classify(openTime) { runStart = nil }
        if runStart == nil { runStart = openTime }
        lastOpen = openTime
        guard !ready, completeHours >= requiredHours, runBars >= strategyBars else { return false }
        ready = true
        problem = nil
        return true
    }

    /// Bars in the current contiguous run.
    var runBars: Int {
        guard let runStart, let lastOpen else { return 0 }
        return Int((lastOpen.milliseconds - runStart.milliseconds) / Self.minute) + 1
    }

    /// Complete clock hours inside the current run.
    var completeHours: Int {
        guard let runStart, let lastOpen else { return 0 }
        let first = (runStart.milliseconds + Self.hour - 1) / Self.hour * Self.hour
        let end = lastOpen.milliseconds + Self.minute
        let last = end - end % Self.hour
        return last > first ? Int((last - first) / Self.hour) : 0
    }

    /// Why entries wait, or nil when ready.
    var blockReason: String? {
        guard !ready else { return nil }
        var text = "warming up: \(completeHours) of \(requiredHours) hourly bars and \(min(runBars, strategyBars)) of \(strategyBars) 1m bars of contiguous history"
        if let problem { text += " (\(problem))" }
        return text
    }
}
