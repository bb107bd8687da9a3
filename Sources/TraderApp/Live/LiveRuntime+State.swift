import TradingEngine
import TradingModel

extension LiveRuntime {
    /// The runtime's trades and open positions with their exit levels, as a value for observers.
    /// An owner that reports an `ExitStatus` (the exit executor) gives its stop, open targets and
    /// resting backstop; otherwise the levels it watches (the reference bracket: stop and target).
    public var state: RuntimeState {
        var positions: [PositionExitView] = []
        for index in kernel.instruments.indices {
            guard let position = kernel.portfolio.slots[index]?.position else { continue }
            // A cross-margin position's liquidation comes from the account's margin (at adoption, recomputed after account changes), not the isolated ledger.
            let crossLiquidation = sync.crossLiquidation[kernel.instruments[index].symbol]
            let liquidation = crossLiquidation.map { $0.isPositive ? $0 : nil }
                ?? kernel.portfolio.slots[index].flatMap { $0.liquidationPrice.isPositive ? $0.liquidationPrice : nil }
            guard let owner = kernel.symbols[index].owner else {
                var view = PositionExitView(position: position, executor: nil, stopPrice: nil, targetPrices: [], backstopPrice: nil)
                view.liquidationPrice = liquidation
                positions.append(view)
                continue
            }
            if let status = statusOf(owner) {
                var view = PositionExitView(position: position, executor: status.executor, stopPrice: status.stopPrice,
                                            targetPrices: status.openTargets.map(\.price), backstopPrice: status.restingBackstopPrice)
                view.reportsStatus = true
                view.closing = status.phase == .closing
                view.lastPriceEventAt = status.lastPriceEventAt
                view.liquidationPrice = liquidation
                positions.append(view)
            } else {
                let levels = kernel.ownerLevels(at: index)
                var view = PositionExitView(position: position, executor: owner.executorName, stopPrice: levels.stop,
                                            targetPrices: levels.target.map { [$0] } ?? [], backstopPrice: nil)
                view.liquidationPrice = liquidation
                positions.append(view)
            }
        }
        var state = RuntimeState(time: now, trades: trades, positions: positions)
        state.runID = runID
        state.symbols = kernel.instruments.map(\.symbol)
        state.walletBalance = kernel.portfolio.walletBalance
        state.riskState = kernel.riskState
        state.manualHalt = manualHaltDetail
        state.haltReason = haltReason
        state.venueStreamInSync = venueStreamInSync
        state.marketStreamInSync = marketStreamInSync
        state.reconciled = reconciled
        return state
    }
}
