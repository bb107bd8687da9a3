import TradingEngine
import TradingModel

extension DecisionRecord {
    /// The store record of an entry gate's decision.
    init(decision: EntryDecision, runID: Int64, time: Timestamp) {
        switch decision {
        case .approved(let entry):
            self.init(runID: runID, signal: entry.signal, approved: true, reasons: [], quantity: entry.quantity, leverage: entry.leverage, time: time,
                      referencePrice: entry.plan.entryPrice)
        case .rejected(let signal, let reasons):
            self.init(runID: runID, signal: signal, approved: false, reasons: reasons.map(\.description), quantity: nil, leverage: nil, time: time)
        }
    }
}

extension TradeRecord {
    /// The store record of a closed trade.
    init(trade: ClosedTrade, runID: Int64) {
        self.init(runID: runID, symbol: trade.symbol, side: trade.side, quantity: trade.quantity, entryTime: trade.entryTime,
                  entryPrice: trade.entryPrice, exitTime: trade.exitTime, exitPrice: trade.exitPrice, exitReason: trade.exitReason.rawValue,
                  fees: trade.fees, funding: trade.funding, netPnL: trade.netPnL, leverage: trade.leverage,
                  plannedStop: trade.plannedStop, bestPrice: trade.bestPrice, targetsHit: trade.targetsHit)
    }
}
