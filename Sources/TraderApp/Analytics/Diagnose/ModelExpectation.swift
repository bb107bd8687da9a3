import Signals
import TradingModel

/// What a model's evaluation report (`report.json` of `qt train`) expects of its signals out of
/// sample: the chosen configuration's hit rate (precision: the share of its trades whose
/// triple-barrier label was the traded side) and coverage (signals per decision bar).
public struct ModelExpectation: Sendable {
    /// The signals' source this report describes (`ml-ensemble@<version>`); nil: any `ml-ensemble` source.
    public var source: String?
    public var hitRate: Double?
    public var coverage: Double
    /// The out-of-sample trades and signals the figures rest on.
    public var trades: Int
    public var signals: Int
    public var decisionIntervalMinutes: Int
    public var labelSettings: TripleBarrierSettings
    public var symbols: [String]

    public init(source: String?, hitRate: Double?, coverage: Double, trades: Int, signals: Int, decisionIntervalMinutes: Int,
                labelSettings: TripleBarrierSettings, symbols: [String]) {
        self.source = source
        self.hitRate = hitRate
        self.coverage = coverage
        self.trades = trades
        self.signals = signals
        self.decisionIntervalMinutes = decisionIntervalMinutes
        self.labelSettings = labelSettings
        self.symbols = symbols
    }

    /// The chosen configuration's pooled walk-forward figures of `report`.
    public init(report: EvaluationReport) {
        let summary = report.chosen.summary
        self.init(source: report.finalModelVersion.map { "\(MLEnsembleStrategy.name)@\($0)" }, hitRate: summary.precision, coverage: summary.coverage,
                  trades: summary.trades, signals: summary.signals, decisionIntervalMinutes: report.plan.decisionIntervalMinutes,
                  labelSettings: report.plan.labelSettings, symbols: report.symbols)
    }

    /// Whether `source` is this model's.
    func matches(_ signalSource: String) -> Bool {
        source.map { $0 == signalSource } ?? signalSource.hasPrefix(MLEnsembleStrategy.name)
    }
}
