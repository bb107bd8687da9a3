import TradingEngine
import TradingModel

/// Keeps an evaluation's report in `report` and appends its risk actions to `risk`, and returns
/// its decision: the tests read what the validator measured beside the decision.
func judged(_ evaluation: EntryEvaluation, into report: inout ValidationReport?, risk: inout [RiskAction]) -> EntryDecision {
    report = evaluation.report
    risk += evaluation.riskActions
    return evaluation.decision
}

/// Returns and clears `actions`.
func takeAll(_ actions: inout [RiskAction]) -> [RiskAction] {
    defer { actions = [] }
    return actions
}
