import Backtest
import TradingEngine
import TradingModel

/// Everything that runs beside the kernel in a backtest: the `Supervisor` (its `Watchdog` fed
/// every price point, every timer tick, the executors' statuses and the venue's fills; its
/// force-closes are sent, its alerts and incidents recorded), the records and alerts of the
/// gate's risk actions (the engine performs their flatten), the rejection analysis of the
/// validator's reports, and the recording of what the store keeps (order events, exit-state
/// saves and deletes, risk events, alerts) in event order. Per-trade exit metrics are decoded
/// from each position's final saved exit state.
///
/// Single-threaded; shared by reference between the engine and the runner.
final class BacktestRuntime: BacktestObserver {
    /// A store write, in the order the runtime saw it (the run id is filled in when written).
    enum StoreOperation {
        case order(OrderEventRecord)
        case saveExitState(ExitStateSnapshot, time: Timestamp)
        case deleteExitState(positionKey: String)
        case riskEvent(RiskEventRecord)
        case alert(Alert)
    }

    /// One closed position protected by the exit engine.
    struct ExitTrade {
        var symbol: Symbol
        var side: Side
        var metrics: ExitTradeMetrics
        /// The trade's exit reason as the kernel recorded it (names reversals and end of data).
        var reason: ExitReason
        /// Best price move in the position's favour seen while open (price move from entry, ≥ 0).
        var maxFavourableMove: Double
        /// `maxFavourableMove × entry × initial quantity` in USDT (Double: a display statistic).
        var maxFavourablePnL: Double
    }

    /// The watchdog and the venue's positions (from its fills: the simulated exchange sends no
    /// position reports); nil: none (owners that report no status).
    var supervisor: Supervisor?
    /// The rejection table and counterfactuals of the validator's reports (nil: no validator).
    private(set) var rejectionAnalysis: RejectionAnalysis?
    let instruments: [Instrument]
    let exitSettings: ExitSettings
    private(set) var operations: [StoreOperation] = []
    private(set) var alerts: [Alert] = []
    private(set) var incidents: [Incident] = []
    private(set) var exitTrades: [ExitTrade] = []
    private(set) var forceCloses = 0
    private var orders: [ClientOrderID: OrderRequest] = [:]
    private var lastSnapshot: [Symbol: ExitStateSnapshot] = [:]
    private var excursion: [Symbol: (side: Side, entry: Price, best: Price)] = [:]

    init(instruments: [Instrument], exitSettings: ExitSettings, supervisor: Supervisor?, rejectionAnalysis: RejectionAnalysis?) {
        self.instruments = instruments
        self.exitSettings = exitSettings
        self.supervisor = supervisor
        self.rejectionAnalysis = rejectionAnalysis
    }

    // MARK: - BacktestObserver

    func price(_ event: PriceEvent, symbolIndex: Int, status: ExitStatus?) -> [BacktestCommand] {
        if var open = excursion[event.symbol] {
            if open.side == .long ? event.price > open.best : event.price < open.best {
                open.best = event.price
                excursion[event.symbol] = open
            }
        }
        guard supervisor != nil else { return [] }
        if let status, lastSnapshot[status.symbol]?.positionKey == status.positionKey { _ = supervisor!.on(.ownerStatus(status)) }
        return perform(supervisor!.on(.price(event)))
    }

    func timer(_ time: Timestamp, statuses: [ExitStatus]) -> [BacktestCommand] {
        guard supervisor != nil else { return [] }
        for status in statuses { _ = supervisor!.on(.ownerStatus(status)) }
        return perform(supervisor!.on(.timer(time)))
    }

    func performed(_ action: KernelAction, status: ExitStatus?, time: Timestamp) -> [BacktestCommand] {
        switch action {
        case .submit(let order):
            orders[order.clientOrderID] = order
            operations.append(.order(OrderEventRecord(runID: 0, request: order, status: .submitted, detail: "", time: time)))
        case .cancel(let id, let symbol):
            operations.append(.order(OrderEventRecord(runID: 0, sent: orders[id], id: id, symbol: symbol, status: .cancelRequested, detail: "",
                                                      time: time)))
        case .saveExitState(let snapshot):
            lastSnapshot[snapshot.symbol] = snapshot
            operations.append(.saveExitState(snapshot, time: time))
            if let status, status.positionKey == snapshot.positionKey {
                if excursion[snapshot.symbol] == nil {
                    excursion[snapshot.symbol] = (status.side, status.entryPrice, status.entryPrice)
                }
                if supervisor != nil { _ = supervisor!.on(.ownerStatus(status)) }
            }
        case .tradeClosed(let trade):
            closed(trade)
        case .decision(_, let report, _):
            if let report { rejectionAnalysis?.record(report) }
        case .risk(.record(let event)):
            operations.append(.riskEvent(event))
        case .risk(.alert(let alert)):
            alerts.append(alert)
            operations.append(.alert(alert))
        case .risk(.flattenAll), .alert, .setLeverage:
            break
        }
        return []
    }

    func venue(_ event: ExecutionEvent) {
        if supervisor != nil { _ = supervisor!.on(.venue(event)) }
        // Every order passes `performed(.submit)` first; one the run never sent is recorded as such.
        if let record = OrderEventRecord(report: event, runID: 0, order: { orders[$0] }) { operations.append(.order(record)) }
    }

    func barClosed(_ candle: Candle, interval: Duration, closeTime: Timestamp, symbolIndex: Int) {
        rejectionAnalysis?.observe(.candle(instruments[symbolIndex].symbol, candle, interval: interval))
    }

    // MARK: - Helpers

    /// Performs the supervisor's actions: force-closes become commands, alerts and incidents recorded.
    private func perform(_ actions: [Supervisor.Action]) -> [BacktestCommand] {
        var commands: [BacktestCommand] = []
        for action in actions {
            switch action {
            case .alert(let alert):
                alerts.append(alert)
                operations.append(.alert(alert))
            case .forceClose(let order, let time):
                forceCloses += 1
                orders[order.clientOrderID] = order
                operations.append(.order(OrderEventRecord(runID: 0, request: order, status: .submitted, detail: "watchdog force-close", time: time)))
                commands.append(.forceClose(order, reason: .watchdog))
            case .incident(let incident):
                incidents.append(incident)
            }
        }
        return commands
    }

    /// A position is flat: its exit state is deleted, the watchdog stops watching it, and the
    /// exit engine's metrics are read from the final saved state.
    private func closed(_ trade: ClosedTrade) {
        let open = excursion.removeValue(forKey: trade.symbol)
        guard let snapshot = lastSnapshot.removeValue(forKey: trade.symbol) else { return }
        operations.append(.deleteExitState(positionKey: snapshot.positionKey))
        if supervisor != nil { _ = supervisor!.on(.positionClosed(positionKey: snapshot.positionKey)) }
        guard snapshot.executor == ExitExecutor.name,
              let instrument = instruments.first(where: { $0.symbol == trade.symbol }),
              let executor = try? ExitExecutor(restoring: snapshot, instrument: instrument, settings: exitSettings) else { return }
        let metrics = executor.metrics
        var move = 0.0
        if let open, open.entry.isPositive {
            move = max(0, Double(trade.side.sign) * (open.best.doubleValue - open.entry.doubleValue) / open.entry.doubleValue)
        }
        let favourable = move * trade.entryPrice.doubleValue * metrics.initialQuantity.doubleValue
        exitTrades.append(ExitTrade(symbol: trade.symbol, side: trade.side, metrics: metrics, reason: trade.exitReason, maxFavourableMove: move, maxFavourablePnL: favourable))
    }
}
