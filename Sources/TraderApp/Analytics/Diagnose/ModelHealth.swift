import Signals
import TradingEngine
import TradingModel

/// The model's live signals against its out-of-sample expectation (`ModelExpectation`): the hit
/// rate of the signals it traded and its coverage, each with a 95% interval; a small sample is
/// said to be small and not judged.
///
/// * Hit: an approved signal whose triple-barrier label (`TripleBarrierLabeler` with the report's
///   settings, on the one-minute `--data` candles from the signal's bar) is the traded side — the
///   definition of the report's precision. A signal whose horizon has not passed, or without
///   candles, is not labelled. Signals whose label windows overlap form one group (`OverlapGroups`);
///   the interval is Wilson on the effective sample (`ClusteredEstimates.proportion`); judged from
///   30 groups on.
/// * Coverage: the model's signals (approved or not) over the decision bars of its paper/live runs
///   (run time / decision interval × the report's symbols the run names, else all of them);
///   Wilson interval on the bars; judged once the expectation predicts at least 10 signals.
public struct ModelHealth: Sendable {
    public struct Rate: Sendable {
        public var observed: Double
        public var interval: ClusteredEstimates.Interval
        /// Hit: independent groups; coverage: decision bars.
        public var sampleSize: Int
        /// nil: too small to judge; else whether the live rate is consistent with the
        /// expectation (inside the interval), below it or above it.
        public var verdict: Verdict?
    }

    public enum Verdict: String, Sendable { case consistent, below, above }

    public static let minimumGroups = TradeStatistics.minimumIndependentTrades
    public static let minimumExpectedSignals = 10.0

    public var expectation: ModelExpectation
    public var signals: Int
    public var approved: Int
    public var decisionBars: Int
    public var labelled: Int
    public var hits: Int
    public var unlabelled: Int
    public var hitRate: Rate?
    public var coverage: Rate?

    /// Measures the model's signals in `runs` (its paper/live runs: strategy `ml-ensemble`).
    public static func measure(expectation: ModelExpectation, runs: [RunRecord], decisions: [DecisionRecord], candles: [Symbol: [Candle]],
                               candleIntervals: [Symbol: Duration], asOf: Timestamp) -> ModelHealth {
        let modelRuns = runs.filter { $0.kind != .backtest && $0.strategyName == MLEnsembleStrategy.name }
        let runIDs = Set(modelRuns.compactMap(\.id))
        let mine = decisions.filter { runIDs.contains($0.runID) && expectation.matches($0.signal.source) }
        var bars = 0
        let interval = Int64(max(1, expectation.decisionIntervalMinutes)) * 60_000
        for run in modelRuns {
            let named = expectation.symbols.filter { run.detail.contains($0) }.count
            let symbols = named > 0 ? named : expectation.symbols.count
            let span = max(0, (run.finishedAt ?? asOf).milliseconds - run.startedAt.milliseconds)
            bars += Int(span / interval) * symbols
        }
        let labeler = TripleBarrierLabeler(settings: expectation.labelSettings)
        var outcomes: [Bool] = [], periods: [(entry: Timestamp, exit: Timestamp)] = []
        let approved = mine.filter(\.approved)
        for decision in approved {
            let signal = decision.signal
            guard let series = candles[signal.symbol], (candleIntervals[signal.symbol] ?? .seconds(60)) == .seconds(60),
                  let index = series.lastIndex(where: { $0.openTime.milliseconds + 60_000 <= signal.time.milliseconds }),
                  let outcome = labeler.outcome(candles: series, at: index), outcome.endTime <= asOf else { continue }
            outcomes.append(outcome.label.side == signal.side)
            periods.append((signal.time, signal.side == .long ? outcome.longExitTime : outcome.shortExitTime))
        }
        var health = ModelHealth(expectation: expectation, signals: mine.count, approved: approved.count, decisionBars: bars,
                                 labelled: outcomes.count, hits: outcomes.filter { $0 }.count, unlabelled: approved.count - outcomes.count)
        if let estimate = ClusteredEstimates.proportion(outcomes, clusters: OverlapGroups.assign(periods)) {
            let groups = OverlapGroups.count(OverlapGroups.assign(periods))
            health.hitRate = Rate(observed: estimate.rate, interval: estimate.interval, sampleSize: groups,
                                  verdict: groups >= minimumGroups ? expectation.hitRate.map { judge($0, estimate.interval) } : nil)
        }
        if bars > 0 {
            let observed = Double(mine.count) / Double(bars)
            let wilson = ClusteredEstimates.wilson(rate: observed, count: Double(bars))
            let enough = Double(bars) * expectation.coverage >= minimumExpectedSignals
            health.coverage = Rate(observed: observed, interval: wilson, sampleSize: bars, verdict: enough ? judge(expectation.coverage, wilson) : nil)
        }
        return health
    }

    init(expectation: ModelExpectation, signals: Int, approved: Int, decisionBars: Int, labelled: Int, hits: Int, unlabelled: Int) {
        self.expectation = expectation
        self.signals = signals
        self.approved = approved
        self.decisionBars = decisionBars
        self.labelled = labelled
        self.hits = hits
        self.unlabelled = unlabelled
    }

    /// Where the expectation lies relative to the live interval.
    static func judge(_ expected: Double, _ interval: ClusteredEstimates.Interval) -> Verdict {
        expected < interval.low ? .above : expected > interval.high ? .below : .consistent
    }
}
