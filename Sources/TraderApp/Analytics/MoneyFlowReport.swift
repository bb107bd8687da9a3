import Backtest
import TradingEngine
import TradingModel
import Foundation

/// `qt flow`: one run's money flow from the store, with every amount exact (10⁻⁸ USDT).
public struct MoneyFlowReport: Sendable {
    public var run: RunRecord
    public var flow: MoneyFlow
    public var startingSampleTime: Timestamp?
    public var recordedSampleTime: Timestamp?
    /// The comparison with the exchange's income history, when asked for (`reconcileIncome`).
    public var income: ExchangeIncomeStatus = .notAsked

    /// The flow of run `runID` (default: the latest run with a closed trade, else the latest run).
    public static func make(store: any TradeStore, storeName: String, runID: Int64?) throws(AnalyticsError) -> MoneyFlowReport {
        do {
            let runs = try store.runs()
            guard !runs.isEmpty else { throw AnalyticsError("\(storeName) holds no runs yet: no money has moved") }
            let run: RunRecord
            if let runID {
                guard let found = runs.first(where: { $0.id == runID }) else {
                    throw AnalyticsError("\(storeName) has no run \(runID) (runs \(runs.compactMap(\.id).min()!)…\(runs.compactMap(\.id).max()!); `qt status --db` lists them)")
                }
                run = found
            } else {
                var latest = runs.last!
                for candidate in runs.reversed() where try !store.trades(runID: candidate.id ?? 0).isEmpty {
                    latest = candidate
                    break
                }
                run = latest
            }
            let id = run.id ?? 0
            let equity = try store.equity(runID: id)
            let flow = try MoneyFlow.of(trades: try store.trades(runID: id), fills: try store.fills(runID: id),
                                        startingWallet: equity.first?.walletBalance, recordedWallet: equity.last?.walletBalance,
                                        decisions: try store.decisions(runID: id))
            return MoneyFlowReport(run: run, flow: flow, startingSampleTime: equity.first?.time, recordedSampleTime: equity.last?.time, income: .notAsked)
        } catch let error as AnalyticsError {
            throw error
        } catch let error as TradeStatisticsError {
            throw AnalyticsError("\(storeName): \(error)")
        } catch {
            throw AnalyticsError.store(storeName, error)
        }
    }

    public static func open(storePath path: String, runID: Int64?) throws(AnalyticsError) -> MoneyFlowReport {
        let store: any TradeStore
        do { store = try TradeStoreFactory.openReadOnly(sqlitePath: path) } catch { throw AnalyticsError.store(path, error) }
        return try make(store: store, storeName: path, runID: runID)
    }

    public var lines: [String] {
        let f = flow
        func row(_ label: String, _ value: String) -> String { label.padding(toLength: 18, withPad: " ", startingAt: 0) + value }
        var lines = ["money flow of run #\(run.id ?? 0) (\(run.kind.rawValue) \(run.strategyName), started \(run.startedAt)); amounts in USDT, exact"]
        lines.append(row("starting wallet", f.startingWallet.map { "\($0) (first equity sample, \(startingSampleTime!))" }
                         ?? "unknown: the run recorded no equity sample"))
        lines.append("trades (\(f.lines.count), by exit time):")
        for line in f.lines {
            let t = line.trade
            var text = "  \(t.exitTime) \(t.symbol) \(t.side.rawValue) \(t.quantity) \(t.entryPrice) → \(t.exitPrice) \(t.exitReason): "
                + "gross \(line.grossPnL), fees \(t.fees), funding \(t.funding), net \(t.netPnL)"
            if let wallet = line.walletAfter { text += ", wallet \(wallet)" }
            if let slip = line.stopSlippage { text += ", stop slippage \(slip) (planned stop \(t.plannedStop!))" }
            if let entry = line.entrySlippage {
                text += ", entry slippage \(entry.cost) (\(DisplayNumber.fixed(entry.costBps, 1)) bps against the signal's \(entry.referencePrice))"
            }
            lines.append(text)
        }
        lines.append(row("realised gross", "\(f.grossPnL)"))
        lines.append(row("fees", "−\(f.fees) of closed trades (all fills \(f.feesOfFills), of which open positions \(f.openPositionFees))"))
        lines.append(row("funding", f.funding.isZero ? "0" : f.funding.isNegative ? "+\(-f.funding) received" : "−\(f.funding) paid"))
        lines.append(row("net realised", "\(f.netPnL)"))
        lines.append(row("explained wallet", f.explainedWallet.map { "\($0) (start + net realised − open positions' fees)" } ?? "unknown"))
        lines.append(row("recorded wallet", f.recordedWallet.map { "\($0) (last equity sample, \(recordedSampleTime!))" } ?? "unknown: no equity sample"))
        lines.append(row("unexplained", f.unexplained.map { $0.isZero ? "0 (the trades explain the wallet exactly)" : "\($0) USDT NOT EXPLAINED by the trades" }
                         ?? "not computed (a wallet is unknown)"))
        lines.append(row("stop slippage", "\(f.stopSlippage) over \(f.stopExitsWithPlan) stop exits with a planned stop (> 0: filled worse than the stop)"))
        let entry = f.entrySlippage
        lines.append(row("entry slippage", entry.measured == 0
                         ? "not measured: no trade has its signal's reference price (decisions recorded before schema v6)"
                         : "\(entry.total) over \(entry.measured) entries, mean \(DisplayNumber.fixed(entry.meanBps ?? 0, 1)) bps against the signals' prices (> 0: filled worse)"
                           + (entry.unmeasured > 0 ? "; \(entry.unmeasured) without a reference price" : "")))
        return lines + incomeLines
    }
}
