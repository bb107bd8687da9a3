import TradingModel

/// The backtest's view of validation: the rejection table plus the counterfactual simulation of
/// every rejected signal, fed by the kernel in event-time order.
///
///     var analysis = RejectionAnalysis(feeRate: takerFee)
///     // for each market event:   validator.observe(event); analysis.observe(event)
///     // for each signal:         _ = validator.evaluate(signal, context: context)
///     //                          analysis.record(validator.lastReport!)
///     // at the end of the data:  analysis.finish(at: lastEventTime); print(analysis.render())
///
/// Record a report *after* observing the event it was made at: the simulation only uses prices
/// later than the decision.
public struct RejectionAnalysis: Sendable, Hashable {
    public private(set) var table = RejectionTable()
    public private(set) var counterfactuals: CounterfactualTracker

    public init(feeRate: Rate) { counterfactuals = CounterfactualTracker(feeRate: feeRate) }

    public mutating func record(_ report: ValidationReport) {
        table.record(report)
        counterfactuals.track(report)
    }

    public mutating func observe(_ event: MarketEvent) { counterfactuals.observe(event) }

    public mutating func finish(at time: Timestamp) { counterfactuals.finish(at: time) }

    /// The table with the counterfactual columns, plus a line on unsimulated rejections.
    public func render() -> String {
        var text = table.render(counterfactuals: counterfactuals.summaries(), overall: counterfactuals.overall())
        let unsimulated = counterfactuals.unsimulated.values.reduce(0, +)
        if unsimulated > 0 {
            let kinds = counterfactuals.unsimulated.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            text += "\nnot simulated (no size or exit plan could be made): \(kinds)"
        }
        return text
    }
}
