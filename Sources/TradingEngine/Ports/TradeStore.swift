import TradingModel

/// Port: durable record of what the system did and why. The embedded default is SQLite
/// (`Storage.SQLiteTradeStore`); tests use `InMemoryTradeStore` and run one contract suite
/// against every implementation. Writes are atomic per call: nothing is half-written.
///
/// Synchronous on purpose: the backtest writes from its single-threaded loop and the live
/// runtime from its one trading actor.
public protocol TradeStore: Sendable {
    /// Starts a run and returns its id.
    func beginRun(_ run: RunRecord) throws -> Int64
    func finishRun(id: Int64, finishedAt: Timestamp, summaryJSON: String) throws
    func runs() throws -> [RunRecord]
    /// Records a finished run whole: the run, every record of `recording` in its order, then its
    /// finish time and summary. All or nothing: when any write fails, nothing of the run is
    /// stored (no run row, no records) and the error is thrown. Returns the run's id.
    func recordRun(_ recording: RunRecording) throws -> Int64

    /// An order's new state (first call inserts the order). Every call appends to its history.
    func recordOrder(_ event: OrderEventRecord) throws
    func orderHistory(_ id: ClientOrderID) throws -> [OrderEventRecord]
    /// The latest state of each order of run `runID` (request, status and time; the detail may
    /// be empty), oldest update first: the live runtime carries orders whose outcome a run never
    /// learned into the next one.
    func latestOrderEvents(runID: Int64) throws -> [OrderEventRecord]

    func recordFill(_ fill: FillRecord) throws
    func fills(runID: Int64) throws -> [FillRecord]

    /// A closed trade (entry to final exit) with its accounting.
    func recordTrade(_ trade: TradeRecord) throws
    func trades(runID: Int64) throws -> [TradeRecord]

    /// Exit state of a position: replaced on every change, read back on restart.
    func saveExitState(_ state: ExitStateRecord) throws
    func exitStates(runID: Int64) throws -> [ExitStateRecord]
    func deleteExitState(runID: Int64, positionKey: String) throws

    /// A signal and the validator's decision on it.
    func recordDecision(_ decision: DecisionRecord) throws
    func decisions(runID: Int64) throws -> [DecisionRecord]

    func recordAlert(_ alert: AlertRecord) throws
    func alerts(runID: Int64?) throws -> [AlertRecord]

    func recordEquity(_ snapshot: EquitySnapshotRecord) throws
    func equity(runID: Int64) throws -> [EquitySnapshotRecord]

    /// Risk-state changes (halt, resume, reduce) with who asked and why.
    func recordRiskEvent(_ event: RiskEventRecord) throws
    func riskEvents(runID: Int64?) throws -> [RiskEventRecord]

    /// Records a manual close request (state pending) and returns its id. Other processes
    /// (`qt close`) write; the running live runtime reads and resolves.
    func recordCloseRequest(_ request: CloseRequestRecord) throws -> Int64
    /// Pending requests, oldest first.
    func pendingCloseRequests() throws -> [CloseRequestRecord]
    func closeRequest(id: Int64) throws -> CloseRequestRecord?
    /// Resolves a pending request (`done` or `failed`, with the detail); resolving one that is not
    /// pending or does not exist throws `TradeStoreError.closeRequestNotPending`.
    func resolveCloseRequest(id: Int64, state: CloseRequestRecord.State, detail: String, runID: Int64, time: Timestamp) throws

    /// Records a message to a person through one notifier (usually `pending`) and returns its id.
    func recordNotification(_ notification: NotificationRecord) throws -> Int64
    /// The delivery result of a recorded message; an unknown id throws `TradeStoreError.notFound`.
    func updateNotification(id: Int64, state: NotificationRecord.DeliveryState, attempts: Int, detail: String, time: Timestamp) throws
    /// The latest `limit` messages (of `runID`, or of every run when nil), oldest first.
    func notifications(runID: Int64?, limit: Int) throws -> [NotificationRecord]
    /// Records a command a person sent (authorised or not) and returns its id.
    func recordCommand(_ command: CommandRecord) throws -> Int64
    /// The latest `limit` commands, oldest first.
    func commands(limit: Int) throws -> [CommandRecord]
}

public enum RunKind: String, Sendable, Hashable, Codable {
    case backtest, paper, live
}

public struct RunRecord: Sendable, Hashable {
    public var id: Int64?
    public var kind: RunKind
    public var startedAt: Timestamp
    public var finishedAt: Timestamp?
    /// Hash of the effective configuration, so two runs can be told apart.
    public var configHash: String
    /// Free text: data files, strategy, command line.
    public var detail: String
    public var summaryJSON: String?

    public init(id: Int64? = nil, kind: RunKind, startedAt: Timestamp, finishedAt: Timestamp? = nil, configHash: String, detail: String, summaryJSON: String? = nil) {
        self.id = id
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.configHash = configHash
        self.detail = detail
        self.summaryJSON = summaryJSON
    }
}

public struct OrderEventRecord: Sendable, Hashable {
    public var runID: Int64
    public var clientOrderID: ClientOrderID
    public var symbol: Symbol
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity?
    public var price: Price?
    public var triggerPrice: Price?
    public var reduceOnly: Bool
    public var closePosition: Bool
    public var status: String
    public var detail: String
    public var time: Timestamp

    public init(runID: Int64, request: OrderRequest, status: String, detail: String, time: Timestamp) {
        self.runID = runID
        self.clientOrderID = request.clientOrderID
        self.symbol = request.symbol
        self.side = request.side
        self.type = request.type
        self.quantity = request.quantity
        self.price = request.price
        self.triggerPrice = request.triggerPrice
        self.reduceOnly = request.reduceOnly
        self.closePosition = request.closePosition
        self.status = status
        self.detail = detail
        self.time = time
    }

    /// The order as it was sent.
    public var request: OrderRequest {
        OrderRequest(clientOrderID: clientOrderID, symbol: symbol, side: side, type: type, quantity: quantity, price: price,
                     triggerPrice: triggerPrice, reduceOnly: reduceOnly, closePosition: closePosition)
    }
}

public struct FillRecord: Sendable, Hashable {
    public var runID: Int64
    public var fill: Fill
    public init(runID: Int64, fill: Fill) {
        self.runID = runID
        self.fill = fill
    }
}

public struct TradeRecord: Sendable, Hashable {
    public var runID: Int64
    public var symbol: Symbol
    public var side: Side
    public var quantity: Quantity
    public var entryTime: Timestamp
    public var entryPrice: Price
    public var exitTime: Timestamp
    /// Volume-weighted exit price over all slices.
    public var exitPrice: Price
    public var exitReason: String
    public var fees: Money
    /// Funding paid (positive) or received (negative).
    public var funding: Money
    /// Net PnL after fees and funding.
    public var netPnL: Money
    public var leverage: Int
    /// The stop planned at entry (the risk the trade was sized for); nil when not recorded.
    public var plannedStop: Price?
    /// The most favourable price the kernel saw while the position was open; nil when not recorded.
    public var bestPrice: Price?
    /// Take-profit levels (1…3) whose slice filled; nil when not recorded.
    public var targetsHit: [Int]?

    public init(runID: Int64, symbol: Symbol, side: Side, quantity: Quantity, entryTime: Timestamp, entryPrice: Price,
                exitTime: Timestamp, exitPrice: Price, exitReason: String, fees: Money, funding: Money, netPnL: Money, leverage: Int,
                plannedStop: Price? = nil, bestPrice: Price? = nil, targetsHit: [Int]? = nil) {
        self.plannedStop = plannedStop
        self.bestPrice = bestPrice
        self.targetsHit = targetsHit
        self.runID = runID
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.entryTime = entryTime
        self.entryPrice = entryPrice
        self.exitTime = exitTime
        self.exitPrice = exitPrice
        self.exitReason = exitReason
        self.fees = fees
        self.funding = funding
        self.netPnL = netPnL
        self.leverage = leverage
    }
}

public struct ExitStateRecord: Sendable, Hashable {
    public var runID: Int64
    /// Identifies the position (e.g. `ATOMUSDT` plus entry order id).
    public var positionKey: String
    public var symbol: Symbol
    /// Which executor protects the position (`tick-exit-executor`).
    public var executor: String
    /// The executor's full state, serialised by the exit engine (JSON).
    public var stateJSON: String
    /// When the executor last processed a price event.
    public var lastPriceEventAt: Timestamp?
    public var updatedAt: Timestamp

    public init(runID: Int64, positionKey: String, symbol: Symbol, executor: String, stateJSON: String, lastPriceEventAt: Timestamp?, updatedAt: Timestamp) {
        self.runID = runID
        self.positionKey = positionKey
        self.symbol = symbol
        self.executor = executor
        self.stateJSON = stateJSON
        self.lastPriceEventAt = lastPriceEventAt
        self.updatedAt = updatedAt
    }
}

public struct DecisionRecord: Sendable, Hashable {
    public var runID: Int64
    public var signal: Signal
    public var approved: Bool
    /// Every reason with its measured values, as text lines (`confidenceBelowThreshold(0.72, required: 0.80)`).
    public var reasons: [String]
    /// Approved size and leverage, when approved.
    public var quantity: Quantity?
    public var leverage: Int?
    public var time: Timestamp
    /// The price the signal was judged at (the entry plan's expected entry: the latest price when
    /// the gate approved it), for entry slippage; nil for a rejection and for decisions recorded
    /// before schema v6.
    public var referencePrice: Price?

    public init(runID: Int64, signal: Signal, approved: Bool, reasons: [String], quantity: Quantity?, leverage: Int?, time: Timestamp,
                referencePrice: Price? = nil) {
        self.referencePrice = referencePrice
        self.runID = runID
        self.signal = signal
        self.approved = approved
        self.reasons = reasons
        self.quantity = quantity
        self.leverage = leverage
        self.time = time
    }
}

public struct AlertRecord: Sendable, Hashable {
    public var runID: Int64?
    public var alert: Alert
    public init(runID: Int64?, alert: Alert) {
        self.runID = runID
        self.alert = alert
    }
}

public struct EquitySnapshotRecord: Sendable, Hashable {
    public var runID: Int64
    public var time: Timestamp
    /// Wallet balance plus unrealized PnL.
    public var equity: Money
    public var walletBalance: Money
    public var unrealizedPnL: Money
    /// Drawdown from the running peak of equity (≤ 0).
    public var drawdown: Money

    public init(runID: Int64, time: Timestamp, equity: Money, walletBalance: Money, unrealizedPnL: Money, drawdown: Money) {
        self.runID = runID
        self.time = time
        self.equity = equity
        self.walletBalance = walletBalance
        self.unrealizedPnL = unrealizedPnL
        self.drawdown = drawdown
    }
}

public struct RiskEventRecord: Sendable, Hashable {
    public var runID: Int64?
    /// `halted`, `resumed`, `reducing`.
    public var state: String
    /// `daily_loss_limit`, `manual`, …
    public var cause: String
    public var detail: String
    public var time: Timestamp

    public init(runID: Int64?, state: String, cause: String, detail: String, time: Timestamp) {
        self.runID = runID
        self.state = state
        self.cause = cause
        self.detail = detail
        self.time = time
    }

    public init(runID: Int64?, state: RiskEventState, cause: String, detail: String, time: Timestamp) {
        self.init(runID: runID, state: state.rawValue, cause: cause, detail: detail, time: time)
    }

    /// The record's state when it is one of `RiskEventState` (reconciliation repairs record their
    /// own, `reconcile_…`); nil otherwise.
    public var knownState: RiskEventState? { RiskEventState(rawValue: state) }
}

/// The states risk events record (`RiskEventRecord.state`); the store keeps the raw value.
public enum RiskEventState: String, Sendable, Hashable {
    case halted
    case resumed
    case reducing
    /// A watchdog incident (the cause names its kind).
    case incident
}
