import TradingEngine
import TradingModel

/// The real-time runtime of `qt paper` and `qt live`: the same `TradingKernel`, exit owners and
/// `Watchdog` as the backtest, fed by market data and venue reports, acting through an
/// `ExecutionClient`. One actor, one writer: every input goes through `handle(_:)`, which
/// processes it completely (kernel, venue calls, store, alerts) before the next one.
///
/// Fail closed: entries are blocked until reconciliation has run, while a symbol's market data
/// is stale, while an order's outcome is unknown, after a configuration error or a store failure;
/// positions keep their exit owner, the exchange backstop and the watchdog throughout.
public actor LiveRuntime<Strategy: TradingStrategy, Gate: EntryGate, Exit: PositionExitOwner> {
    /// The latest `ExitStatus` of an owner, for the watchdog (nil: the owner reports none).
    public typealias StatusReader = @Sendable (Exit) -> ExitStatus?

    var kernel: TradingKernel<Strategy, Gate, Exit>
    /// The watchdog and the venue's positions (from its position reports when
    /// `watchVenuePositions`), as the backtest runs them.
    var supervisor: Supervisor
    let client: any ExecutionClient
    let store: any TradeStore
    let alerting: any Alerting
    let clock: any TradingClock
    let inbox: ExecutionInbox
    let planner: (any ExitPlanning)?
    let statusOf: StatusReader
    public let settings: LiveRuntimeSettings
    public let runID: Int64
    /// Counters of what the runtime did (swift-metrics; printed by `qt paper` / `qt live`).
    let metrics: RuntimeMetrics

    var actions: [KernelAction] = []
    /// Every order we sent, by client id (for store records and reconciliation).
    var sentOrders: [ClientOrderID: OrderRequest] = [:]
    /// Orders whose outcome is unknown: queried (never resent) until resolved.
    var unresolved: [ClientOrderID: OrderRequest] = [:]
    var reportedRejections: Set<ClientOrderID> = []
    var leverageFailed: Set<Symbol> = []
    /// Per symbol and stream (prices apart from klines): when data last arrived, what is stale.
    var freshness = MarketFreshness()
    /// Asks the session to reconnect the market streams (set by `LiveSession`; nil elsewhere).
    var marketReconnect: (@Sendable (String) -> Void)?
    /// Symbols the venue does not let us open positions in (not `TRADING`, delisted), with why.
    var notTradable: [Symbol: String] = [:]
    var lastEventTime = Timestamp(milliseconds: 0)
    var positionKeys: [String?]
    /// The store's manual risk state as last seen by `syncManualRiskState` (state@time), and the
    /// detail of a manual halt in force (entries blocked).
    var manualRiskKey: String?
    var manualRiskSynced = false
    var manualHaltDetail: String?
    /// The last exit-state record saved per position key (for the heartbeat re-save).
    var savedExitStates: [String: ExitStateRecord] = [:]
    var adoptions: Int64 = 0
    /// Equity samples of the kernel's curve already written to the store (`recordEquitySamples`).
    var recordedEquitySamples = 0
    /// Close requests from the store being carried out: their symbols and when they fail.
    var closingRequests: [Int64: (symbols: [Symbol], deadline: Timestamp)] = [:]
    /// Alerts recorded but not yet handed to the `Alerting` port.
    var undelivered: [Alert] = []
    /// History back-fill at start (`LiveRuntime+WarmUp`); nil: no warm-up.
    var warmUp: WarmUpState?
    /// Bookkeeping against the venue between reconciliations (`RuntimeVenueSync`).
    var sync = RuntimeVenueSync()
    /// Venue calls off the loop (live sessions: `attach(lanes:)`); nil: calls are made inline
    /// (paper, replays, tests with synchronous clients).
    var lanes: OrderLanes?
    /// Leverage to set before the next entry of a symbol (sent with it on the entry lane).
    var pendingLeverage: [Symbol: Int] = [:]
    /// Status queries running on a lane.
    var queriesInFlight: Set<ClientOrderID> = []
    /// False while the venue's order stream is resyncing (entries held).
    public internal(set) var venueStreamInSync = true
    /// False after a market-data reconnect until the session has reconciled again (entries held).
    public internal(set) var marketStreamInSync = true
    /// Entries wait for the first reconciliation.
    public internal(set) var reconciled = false
    /// True while a reconciliation runs (it is not re-entered from its own repairs).
    var reconciling = false
    /// Set by a configuration error or a store failure: no more entries this run.
    public internal(set) var haltReason: String?
    /// Everything the run produced so far (also in the store).
    public internal(set) var trades: [ClosedTrade] = []
    public internal(set) var alerts: [Alert] = []
    public internal(set) var blockedSignals: [(Signal, String)] = []
    /// The validator's report of the latest signal it judged (trend, regime, sizes), if any.
    public internal(set) var lastValidationReport: ValidationReport?
    /// When the price event being handled was taken (the latency metric's start); nil between events.
    var priceEventStartedAt: ContinuousClock.Instant?

    public init(kernel: sending TradingKernel<Strategy, Gate, Exit>, client: any ExecutionClient,
                inbox: ExecutionInbox, store: any TradeStore, runID: Int64, alerting: any Alerting, clock: any TradingClock,
                planner: (any ExitPlanning)?, settings: LiveRuntimeSettings, statusOf: @escaping StatusReader,
                metrics: RuntimeMetrics = RuntimeMetrics(), startRisk: RiskEvent? = nil) {
        self.metrics = metrics
        self.kernel = kernel
        self.client = client
        self.inbox = inbox
        self.store = store
        self.runID = runID
        self.alerting = alerting
        self.clock = clock
        self.planner = planner
        self.settings = settings
        self.statusOf = statusOf
        self.supervisor = Supervisor(watchdog: Watchdog(settings: settings.watchdog, orderIDs: ClientOrderIDGenerator(runTag: settings.runTag + "wd")),
                                     venuePositions: settings.watchVenuePositions ? .fromPositionReports : .ignored)
        self.positionKeys = Array(repeating: nil, count: kernel.instruments.count)
        // The store's manual halt reaches the gate's risk engine first; its record and alert are
        // performed with the first input.
        if let startRisk { self.kernel.onRisk(startRisk, into: &actions) }
    }

    /// Processes one input completely: the kernel, then every venue report and action it causes.
    public func handle(_ input: RuntimeInput) async {
        switch input {
        case .market(let event):
            await onMarket(event)
        case .execution(let event):
            inbox.append(event)
            await pump()
        case .timer(let time):
            await onTimer(time)
        case .closeRequest(let symbol):
            await requestClose(symbol)
        case .reconcile(let reply):
            if let lanes {
                // The reads run off the loop; the repairs when they are back (`.orderOutcome`).
                reconciled = false
                lanes.send(.readVenue(gapSequence: sync.userDataGaps, reply: reply))
                break
            }
            // A failure is alerted and recorded inside, and entries stay blocked.
            do {
                try await reconcile()
                reply?.resolve(true)
            } catch {
                reply?.resolve(false)
            }
        case .venueStreamInSync(let inSync):
            if venueStreamInSync != inSync {
                venueStreamInSync = inSync
                raise(Alert(severity: inSync ? .info : .warning, kind: inSync ? .venueStreamInSync : .venueStreamResync,
                            message: inSync ? "venue order stream in sync; entries allowed" : "venue order stream out of sync; entries held until resynced",
                            symbol: nil, time: now))
            }
        case .marketStreamInSync(let inSync):
            if marketStreamInSync != inSync {
                marketStreamInSync = inSync
                raise(Alert(severity: inSync ? .info : .warning, kind: inSync ? .marketStreamInSync : .marketStreamResync,
                            message: inSync ? "market-data streams resynced and reconciled; entries allowed"
                                : "market-data stream reconnected; entries held until reconciled", symbol: nil, time: now))
            }
        case .venueMessageDropped(let dropped):
            venueMessageDropped(dropped)
        case .instrumentsRefreshed(let statuses):
            instrumentsRefreshed(statuses)
        case .endOfMarketData:
            await finish()
        case .venueNotice(let notice):
            await onVenueNotice(notice)
        case .orderOutcome(let outcome):
            await onOutcome(outcome)
        }
        await performDeferredCancels()
        await reconcileIfRequested()
        await deliverAlerts()
    }

    /// Entries of symbol `index` may be sent now; otherwise the reason they are blocked.
    func entryBlockReason(symbolIndex index: Int) -> String? {
        let symbol = kernel.instruments[index].symbol
        if !reconciled { return "reconciliation with the venue has not completed" }
        if !venueStreamInSync { return "the venue's order stream is resyncing" }
        if !marketStreamInSync { return "the market-data stream reconnected and is resyncing" }
        if let haltReason { return "trading halted: \(haltReason)" }
        if let manualHaltDetail { return "manual halt (qt risk halt): \(manualHaltDetail)" }
        if let warming = warmUpBlockReason(symbolIndex: index) { return warming }
        if sync.crossMargin.contains(symbol) {
            return "\(symbol) holds a position in cross margin; new entries wait until it is flat and switched to isolated margin"
        }
        if sync.userDataGap { return "a user-data message was lost; entries wait for the reconciliation" }
        if sync.divergentSince[symbol] != nil { return "\(symbol)'s booked position differs from the venue's; reconciling" }
        if freshness.isStale(symbol: index) { return "market data of \(symbol) is stale" }
        if freshness.startedAt != nil, !freshness.hasPrices(symbol: index) {
            return "no price of \(symbol) has arrived yet"
        }
        if let refusal = notTradable[symbol] { return refusal }
        if unresolved.values.contains(where: { $0.symbol == symbol }) { return "an order of \(symbol) has an unknown outcome" }
        return nil
    }

    func index(of symbol: Symbol) -> Int? { kernel.instruments.firstIndex { $0.symbol == symbol } }

    var now: Timestamp { clock.now }

    /// The kernel's state, for tests and `qt status`.
    public var openPositions: [Position] { kernel.portfolio.openPositions }
    public var walletBalance: Money { kernel.portfolio.walletBalance }
    /// The state of the gate's risk engine (nil: the gate has none).
    public var riskState: RiskState? { kernel.riskState }
    public func hasOwner(_ symbol: Symbol) -> Bool { index(of: symbol).map { kernel.hasOwner(at: $0) } ?? false }
    public var staleMarketSymbols: Set<Symbol> {
        Set(kernel.instruments.indices.filter { freshness.isStale(symbol: $0) }.map { kernel.instruments[$0].symbol })
    }
}
