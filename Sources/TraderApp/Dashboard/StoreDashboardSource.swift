import Dashboard
import Foundation
import TradingEngine
import TradingModel

/// The console's data: the trade store, and inside a running session the runtime's latest state
/// through the `DashboardObserver` (positions with marks, streams, reconciliation). A store-only
/// console (`qt dashboard --db FILE`) shows the open positions as their exit owners last saved
/// them, without marks.
public struct StoreDashboardSource: DashboardSource {
    let store: any TradeStore
    let observer: DashboardObserver?
    let label: String
    let clock: any TradingClock
    let staleAfter: Duration
    /// Market data older than this makes the session not ready.
    let marketSilentAfter: Duration
    let modelView: ModelView?
    /// Throws when the store cannot be written now (nil: not checked).
    let storeProbe: (@Sendable () throws -> Void)?

    public init(store: any TradeStore, observer: DashboardObserver?, label: String, clock: any TradingClock, staleAfter: Duration,
                marketSilentAfter: Duration = .seconds(30), model: ModelView?, storeProbe: (@Sendable () throws -> Void)?) {
        self.store = store
        self.observer = observer
        self.label = label
        self.clock = clock
        self.staleAfter = staleAfter
        self.marketSilentAfter = marketSilentAfter
        self.modelView = model
        self.storeProbe = storeProbe
    }

    func read<T>(_ what: String, _ body: () throws -> T) throws(DashboardError) -> T {
        do { return try body() } catch { throw DashboardError.unavailable(what, error) }
    }

    /// The session's run, or the latest paper/live run in the store (else the latest run).
    func focusRunID() throws(DashboardError) -> Int64? {
        if let run = observer?.snapshot?.state.runID, run > 0 { return run }
        let runs = try read("the runs") { try store.runs() }
        return (runs.last { $0.kind != .backtest } ?? runs.last)?.id
    }

    public func session() async -> SessionInfo {
        let now = clock.now
        guard let snapshot = observer?.snapshot else {
            return SessionInfo(label: label, inProcess: observer != nil, runID: nil, time: now.iso8601, equity: nil, walletBalance: nil)
        }
        let equity = DashboardObserver.equity(snapshot.state, prices: snapshot.prices)
        return SessionInfo(label: label, inProcess: true, runID: snapshot.state.runID > 0 ? snapshot.state.runID : nil, time: now.iso8601,
                           equity: equity.map { "\($0)" }, walletBalance: snapshot.state.walletBalance.map { "\($0)" })
    }

    public func positions() async throws(DashboardError) -> [PositionRow] {
        let now = clock.now
        if let snapshot = observer?.snapshot {
            return snapshot.state.positions.map { view in
                Self.row(view, runID: snapshot.state.runID, price: snapshot.prices[view.position.symbol], now: now, staleAfter: staleAfter)
            }
        }
        let runs = try read("the runs") { try store.runs() }
        var rows: [PositionRow] = []
        for run in runs {
            guard let id = run.id else { continue }
            for record in try read("the exit states") { try store.exitStates(runID: id) } {
                rows.append(Self.row(StoreStatus.position(record), now: now, staleAfter: staleAfter))
            }
        }
        return rows
    }

    static func row(_ view: PositionExitView, runID: Int64, price: Price?, now: Timestamp, staleAfter: Duration) -> PositionRow {
        let position = view.position
        // the one computation of a position's figures (qt diagnose uses it too)
        let figures = price.map { PositionFigures.of(position, at: $0, liquidationPrice: view.liquidationPrice) }
        let returns = figures?.returns
        let age = view.lastPriceEventAt.map { Double(now.since($0).components.seconds) + Double(now.since($0).components.attoseconds) / 1e18 }
        return PositionRow(runID: runID, symbol: position.symbol.name, side: position.side.rawValue, quantity: "\(position.quantity)",
                           entryPrice: "\(position.entryPrice)", markPrice: price.map { "\($0)" }, stopPrice: view.stopPrice.map { "\($0)" },
                           targetPrices: view.targetPrices.map { "\($0)" }, priceMovePct: finite(returns?.priceMovePct), roePct: finite(returns?.roePct),
                           unrealizedPnl: figures.map { "\($0.unrealizedPnL)" }, liquidationPrice: (figures?.liquidationPrice ?? view.liquidationPrice).map { "\($0)" },
                           leverage: position.leverage, exitOwner: view.executor, backstopPrice: view.backstopPrice.map { "\($0)" },
                           lastPriceEventAt: view.lastPriceEventAt?.iso8601, lastPriceEventAgeSeconds: finite(age),
                           stale: view.reportsStatus && (view.lastPriceEventAt.map { now.since($0) > staleAfter } ?? false),
                           unprotected: DashboardObserver.isUnprotected(view))
    }

    /// A position as its exit owner last saved it (store-only console: no mark, no PnL).
    static func row(_ saved: StoreStatus.OpenPosition, now: Timestamp, staleAfter: Duration) -> PositionRow {
        let age = saved.lastPriceEventAt.map { Double(now.since($0).components.seconds) }
        return PositionRow(runID: saved.runID, symbol: saved.symbol.name, side: saved.side?.rawValue ?? "?",
                           quantity: saved.remainingQuantity.map { "\($0)" } ?? "?", entryPrice: saved.entryPrice.map { "\($0)" } ?? "?",
                           stopPrice: saved.stopPrice.map { "\($0)" }, targetPrices: saved.openTargets.map { "\($0.price)" },
                           exitOwner: saved.executor, backstopPrice: saved.restingBackstop.map { "\($0)" },
                           lastPriceEventAt: saved.lastPriceEventAt?.iso8601, lastPriceEventAgeSeconds: finite(age),
                           stale: saved.lastPriceEventAt.map { now.since($0) > staleAfter } ?? true,
                           unprotected: saved.stopPrice == nil || saved.restingBackstop == nil, problem: saved.problem)
    }

    static func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }

    public func risk() async throws(DashboardError) -> RiskView {
        let events = try read("the risk events") { try store.riskEvents(runID: nil) }
        let manual = events.last { $0.runID == nil && $0.cause == "manual" }
        let halted = manual?.knownState == .halted
        let state = observer?.snapshot?.state
        var held: [String] = []
        if let state {
            if !state.reconciled { held.append("reconciliation with the venue has not completed") }
            if !state.venueStreamInSync { held.append("the venue's order stream is resyncing") }
            if !state.marketStreamInSync { held.append("the market-data stream reconnected and is resyncing") }
            if let reason = state.haltReason { held.append("trading halted: \(reason)") }
            if let manual = state.manualHalt { held.append("manual halt: \(manual)") }
        }
        return RiskView(manualState: halted ? "HALTED" : "ACTIVE", manualDetail: halted ? manual.map { "since \($0.time.iso8601), \($0.detail)" } : nil,
                        engineState: state?.riskState?.rawValue, entriesHeldReason: held.isEmpty ? nil : held.joined(separator: "; "),
                        events: events.suffix(10).map { RiskView.Event(time: $0.time.iso8601, runID: $0.runID, state: $0.state, cause: $0.cause, detail: $0.detail) })
    }

    public func signals(limit: Int) async throws(DashboardError) -> [SignalRow] {
        guard let run = try focusRunID() else { return [] }
        let decisions = try read("the decisions") { try store.decisions(runID: run) }
        return decisions.suffix(limit).reversed().map { decision in
            SignalRow(runID: decision.runID, time: decision.time.iso8601, symbol: decision.signal.symbol.name, side: decision.signal.side.rawValue,
                      confidence: Self.finite(decision.signal.confidence), source: decision.signal.source, approved: decision.approved,
                      reasons: decision.reasons, quantity: decision.quantity.map { "\($0)" }, leverage: decision.leverage)
        }
    }

    public func trades(limit: Int) async throws(DashboardError) -> [TradeRow] {
        let runs = try read("the runs") { try store.runs() }
        var ids = runs.reversed().compactMap(\.id)
        if let session = observer?.snapshot?.state.runID, session > 0 { ids = [session] }
        var rows: [TradeRow] = []
        for id in ids where rows.count < limit {
            let trades = try read("the trades") { try store.trades(runID: id) }
            rows += trades.reversed().prefix(limit - rows.count).map(Self.row)
        }
        return rows
    }

    static func row(_ trade: TradeRecord) -> TradeRow {
        let move = trade.exitPrice.relativeChange(from: trade.entryPrice, .nearest).percent * Double(trade.side.sign)
        return TradeRow(runID: trade.runID, symbol: trade.symbol.name, side: trade.side.rawValue, quantity: "\(trade.quantity)",
                        entryTime: trade.entryTime.iso8601, entryPrice: "\(trade.entryPrice)", exitTime: trade.exitTime.iso8601,
                        exitPrice: "\(trade.exitPrice)", exitReason: trade.exitReason, priceMovePct: move.isFinite ? move : 0, fees: "\(trade.fees)",
                        funding: "\(trade.funding)", netPnl: "\(trade.netPnL)", leverage: trade.leverage)
    }

    public func alerts(limit: Int) async throws(DashboardError) -> [AlertRow] {
        let session = observer?.snapshot?.state.runID
        let records = try read("the alerts") { try store.alerts(runID: session.flatMap { $0 > 0 ? $0 : nil }) }
        return records.suffix(limit).reversed().map { record in
            AlertRow(runID: record.runID, time: record.alert.time.iso8601, severity: record.alert.severity.rawValue, kind: record.alert.kind.rawValue,
                     symbol: record.alert.symbol?.name, message: record.alert.message)
        }
    }

    public func equity(limit: Int) async throws(DashboardError) -> [EquityPoint] {
        guard let run = try focusRunID() else { return [] }
        let samples = try read("the equity samples") { try store.equity(runID: run) }
        return Self.thin(samples, to: limit).map {
            EquityPoint(time: $0.time.iso8601, timeMilliseconds: $0.time.milliseconds, equity: "\($0.equity)", drawdown: "\($0.drawdown)")
        }
    }

    /// At most `limit` samples, evenly spaced, always keeping the last.
    static func thin<T>(_ samples: [T], to limit: Int) -> [T] {
        guard samples.count > limit, limit > 1 else { return samples.count > limit ? Array(samples.suffix(1)) : samples }
        let step = Double(samples.count - 1) / Double(limit - 1)
        return (0..<limit).map { samples[min(samples.count - 1, Int((Double($0) * step).rounded()))] }
    }

    public func runs(limit: Int) async throws(DashboardError) -> [RunRow] {
        let runs = try read("the runs") { try store.runs() }
        var rows: [RunRow] = []
        for run in runs.suffix(limit).reversed() {
            guard let id = run.id else { continue }
            let trades = try read("the trades") { try store.trades(runID: id) }
            let net = trades.reduce(Money.zero) { $0 + $1.netPnL }
            rows.append(RunRow(id: id, kind: run.kind.rawValue, startedAt: run.startedAt.iso8601, finishedAt: run.finishedAt?.iso8601, detail: run.detail,
                               configHash: run.configHash, summary: run.summaryJSON, trades: trades.count, netPnl: "\(net)"))
        }
        return rows
    }

    public func model() async -> ModelView? { modelView }

    public func readiness() async -> Readiness {
        var checks: [Readiness.Check] = []
        if let probe = storeProbe {
            do {
                try probe()
                checks.append(.init(name: "store_writable", ok: true, detail: "a write transaction succeeded"))
            } catch {
                checks.append(.init(name: "store_writable", ok: false, detail: "the store cannot be written: \(error)"))
            }
        } else {
            do {
                _ = try store.runs()
                checks.append(.init(name: "store_writable", ok: true, detail: "readable (no write probe for this store)"))
            } catch {
                checks.append(.init(name: "store_writable", ok: false, detail: "the store cannot be read: \(error)"))
            }
        }
        guard let observer else {
            checks.append(.init(name: "session", ok: true, detail: "store-only console: no session in this process"))
            return Readiness(checks: checks)
        }
        guard let snapshot = observer.snapshot else {
            checks.append(.init(name: "session", ok: false, detail: "the session has not handled any input yet"))
            return Readiness(checks: checks)
        }
        let state = snapshot.state
        checks.append(.init(name: "reconciled", ok: state.reconciled,
                            detail: state.reconciled ? "reconciled with the venue" : "reconciliation with the venue has not completed"))
        checks.append(.init(name: "market_streams", ok: state.marketStreamInSync,
                            detail: state.marketStreamInSync ? "in sync" : "a market-data stream reconnected; resync and reconciliation pending"))
        checks.append(.init(name: "venue_stream", ok: state.venueStreamInSync,
                            detail: state.venueStreamInSync ? "in sync" : "the venue's order stream is resyncing"))
        let now = clock.now
        let silent = state.symbols.compactMap { symbol -> String? in
            guard let last = snapshot.lastMarketAt[symbol] else { return "\(symbol): none yet" }
            return now.since(last) > marketSilentAfter ? "\(symbol): none for \(now.since(last))" : nil
        }
        checks.append(.init(name: "market_data_fresh", ok: silent.isEmpty,
                            detail: silent.isEmpty ? "every symbol within \(marketSilentAfter)" : silent.joined(separator: ", ")))
        checks.append(.init(name: "trading", ok: state.haltReason == nil, detail: state.haltReason.map { "halted: \($0)" } ?? "no runtime halt"))
        return Readiness(checks: checks)
    }
}
