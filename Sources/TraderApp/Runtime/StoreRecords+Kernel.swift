import TradingEngine
import TradingModel

// The store records of what the kernel, the venue and the supervisor report, built here once for
// both drivers (`BacktestRuntime` and `LiveRuntime`), so the rows of a backtest and of a session
// cannot drift apart.

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

extension ExitStateRecord {
    /// The store record of an exit owner's saved state (`KernelAction.saveExitState`), written at
    /// `updatedAt`.
    init(snapshot: ExitStateSnapshot, runID: Int64, updatedAt: Timestamp) {
        self.init(runID: runID, positionKey: snapshot.positionKey, symbol: snapshot.symbol, executor: snapshot.executor,
                  stateJSON: snapshot.stateJSON, lastPriceEventAt: snapshot.lastPriceEventAt, updatedAt: updatedAt)
    }
}

extension OrderEventRecord {
    /// An order event in the drivers' one vocabulary (`OrderRecordStatus`).
    init(runID: Int64, request: OrderRequest, status: OrderRecordStatus, detail: String, time: Timestamp) {
        self.init(runID: runID, request: request, status: status.rawValue, detail: detail, time: time)
    }

    /// The order event of a venue report: the state it moves its order to, with a rejection's
    /// reason or a fill's quantity, price and fee as detail, at `time` (nil: the report's own
    /// time). `order` finds the request the run sent under the report's client id; an order the
    /// run never sent is recorded as such (side and quantity unknown). nil for reports that are
    /// not about an order (position changes, liquidations, funding).
    init?(report: ExecutionEvent, runID: Int64, time: Timestamp? = nil, order: (ClientOrderID) -> OrderRequest?) {
        let id: ClientOrderID, symbol: Symbol, status: OrderRecordStatus, detail: String, reportTime: Timestamp
        switch report {
        case .accepted(let reported, let reportedSymbol, _, let at):
            (id, symbol, status, detail, reportTime) = (reported, reportedSymbol, .accepted, "", at)
        case .rejected(let reported, let reportedSymbol, let rejection, let at):
            (id, symbol, status, detail, reportTime) = (reported, reportedSymbol, .rejected, rejection.description, at)
        case .canceled(let reported, let reportedSymbol, let at):
            (id, symbol, status, detail, reportTime) = (reported, reportedSymbol, .canceled, "", at)
        case .triggered(let reported, let reportedSymbol, let at):
            (id, symbol, status, detail, reportTime) = (reported, reportedSymbol, .triggered, "", at)
        case .filled(let fill):
            (id, symbol, status, reportTime) = (fill.clientOrderID, fill.symbol, .filled, fill.time)
            detail = "\(fill.quantity) @ \(fill.price), fee \(fill.fee)"
        case .positionChanged, .liquidated, .fundingPaid:
            return nil
        }
        self.init(runID: runID, sent: order(id), id: id, symbol: symbol, status: status, detail: detail, time: time ?? reportTime)
    }

    /// An order event of order `id`, whose request the run sent is `sent`; an order the run never
    /// sent is recorded as such (side and quantity unknown).
    init(runID: Int64, sent: OrderRequest?, id: ClientOrderID, symbol: Symbol, status: OrderRecordStatus, detail: String, time: Timestamp) {
        guard let sent else {
            let unknown = OrderRequest(clientOrderID: id, symbol: symbol, side: .buy, type: .market, quantity: .zero)
            self.init(runID: runID, request: unknown, status: status, detail: "order not sent by this run; " + detail, time: time)
            return
        }
        self.init(runID: runID, request: sent, status: status, detail: detail, time: time)
    }
}

extension RiskEventRecord {
    /// The store record of a supervisor's incident (state `incident`, its kind as the cause), at
    /// the time it was detected.
    init(incident: Incident, runID: Int64?) {
        self.init(runID: runID, state: .incident, cause: incident.kind.rawValue, detail: incident.detail, time: incident.detectedAt)
    }
}

extension EquitySnapshotRecord {
    /// The store record of one of the kernel's equity samples.
    init(sample: EquitySample, runID: Int64) {
        self.init(runID: runID, time: sample.time, equity: sample.equity, walletBalance: sample.walletBalance,
                  unrealizedPnL: sample.unrealizedPnL, drawdown: sample.drawdown)
    }
}
