import Synchronization
import Logging
import TradingEngine
import TradingModel

/// The Binance USD-M `ExecutionClient`: orders over REST, events from the user-data stream.
///
/// Unknown outcomes are never resent: a timeout, 5xx-unknown, `-1000`/`-1007` on a write, or a
/// `-4116` duplicate id is resolved by querying the order by client id (retrying a few times on
/// `-2013`, which can mean "not visible yet", and on transient failures); if it still cannot be
/// found, or the query itself fails (rate-limited, configuration, transient), the error stays
/// `.unknownStatus` and reconciliation decides. `.transient` and `.rateLimited` from `submit`
/// mean the order was not executed (refused before it was sent, or by the venue unexecuted).
///
/// Reduce-only orders, close-position backstops, cancels and their status queries are sent as
/// protective calls: the REST client never holds them back for IP weight.
public final class BinanceExecutionClient: ExecutionClient, Sendable {
    let rest: BinanceRESTClient
    let logger: Logger
    let unknownStatusQueryAttempts: Int
    let queryRetryDelay: Duration
    let pause: @Sendable (Duration) async -> Void
    let state: LockedState
    let stream: AsyncStream<ExecutionEvent>
    let continuation: AsyncStream<ExecutionEvent>.Continuation
    let noticeStream: AsyncStream<VenueNotice>
    let noticeContinuation: AsyncStream<VenueNotice>.Continuation
    let problems: AsyncStream<BinanceStreamProblem>
    let problemContinuation: AsyncStream<BinanceStreamProblem>.Continuation

    final class LockedState: @unchecked Sendable {
        // @unchecked: every access goes through `lock`.
        let lock = Mutex(())
        var instruments: [Symbol: Instrument] = [:]
        var algoOrders: Set<ClientOrderID> = []
        var leverage: [Symbol: Int] = [:]
        var translator = UserDataTranslator()
    }

    /// - Parameters:
    ///   - pause: waits between order-status queries; the app passes `Task.sleep`, tests a recorder.
    public init(rest: BinanceRESTClient, instruments: [Instrument], logger: Logger, unknownStatusQueryAttempts: Int = 4,
                queryRetryDelay: Duration = .milliseconds(500), pause: @escaping @Sendable (Duration) async -> Void) {
        precondition(unknownStatusQueryAttempts >= 1, "at least one status query")
        self.rest = rest
        self.logger = logger
        self.unknownStatusQueryAttempts = unknownStatusQueryAttempts
        self.queryRetryDelay = queryRetryDelay
        self.pause = pause
        self.state = LockedState()
        (stream, continuation) = AsyncStream.makeStream(of: ExecutionEvent.self)
        (noticeStream, noticeContinuation) = AsyncStream.makeStream(of: VenueNotice.self)
        (problems, problemContinuation) = AsyncStream.makeStream(of: BinanceStreamProblem.self)
        state.lock.withLock { _ in for instrument in instruments { state.instruments[instrument.symbol] = instrument } }
    }

    /// Replaces an instrument (after an exchangeInfo refresh).
    public func update(_ instrument: Instrument) { state.lock.withLock { _ in state.instruments[instrument.symbol] = instrument } }

    func instrument(_ symbol: Symbol) throws(ExecutionError) -> Instrument {
        guard let instrument = state.lock.withLock({ _ in state.instruments[symbol] }) else {
            throw ExecutionError(.configuration, message: "no instrument loaded for \(symbol)")
        }
        return instrument
    }

    func isAlgo(_ id: ClientOrderID) -> Bool { state.lock.withLock { _ in state.algoOrders.contains(id) } }

    // MARK: ExecutionClient

    public func submit(_ planned: OrderRequest) async throws(ExecutionError) -> OrderSnapshot {
        let instrument = try instrument(planned.symbol)
        // A protective order planned on a grid the venue has since changed goes out on the new one.
        let order = BinanceOrderEncoder.ontoGrid(planned, instrument: instrument)
        if order != planned {
            logger.warning("binance.protective_order_moved_onto_grid", metadata: [
                "order.client_id": "\(order.clientOrderID)", "binance.trigger": "\(order.triggerPrice.map { "\($0)" } ?? "")",
                "binance.quantity": "\(order.quantity.map { "\($0)" } ?? "")",
            ])
        }
        let (route, parameters) = try BinanceOrderEncoder.encode(order, instrument: instrument)
        if route == .algo { _ = state.lock.withLock { _ in state.algoOrders.insert(order.clientOrderID) } }
        let protective = order.reduceOnly || order.closePosition
        do {
            switch route {
            case .regular:
                let body = try await rest.send(.post, route.path, parameters, security: .signed, protective: protective)
                return try BinanceExecutionClient.snapshot(regular: body, method: .post, path: route.path)
            case .algo:
                let body = try await rest.send(.post, route.path, parameters, security: .signed, protective: protective)
                return try BinanceExecutionClient.snapshot(algo: body, method: .post, path: route.path)
            }
        } catch {
            var duplicate = false
            if case .rejected(let rejection) = error.kind, rejection.reason == .duplicateClientOrderID { duplicate = true }
            guard error.kind == .unknownStatus || duplicate else { throw error }
            logger.warning("binance.order_outcome_unknown_querying", metadata: [
                "order.client_id": "\(order.clientOrderID)", "binance.code": "\(error.code ?? 0)",
            ])
            return try await resolve(order.clientOrderID, symbol: order.symbol, route: route, protective: protective, cause: error)
        }
    }

    /// Queries by client id until the order is visible; never resends. "Not visible yet" and
    /// transient failures are queried again; a query that is rate-limited or fails for any other
    /// reason stops early. Whatever stopped it, an order not seen stays `.unknownStatus`: only
    /// a reconciliation may conclude that it was never placed.
    func resolve(_ id: ClientOrderID, symbol: Symbol, route: BinanceOrderRoute, protective: Bool,
                 cause: ExecutionError) async throws(ExecutionError) -> OrderSnapshot {
        var last: ExecutionError?
        for attempt in 1...unknownStatusQueryAttempts {
            do {
                let snapshot = try await query(id, symbol: symbol, route: route, protective: protective)
                logger.info("binance.order_outcome_resolved", metadata: [
                    "order.client_id": "\(id)", "order.status": "\(snapshot.status.rawValue)", "binance.attempt": "\(attempt)",
                ])
                return snapshot
            } catch {
                last = error
                guard BinanceExecutionClient.isNotFound(error) || error.kind == .transient else { break }
                if attempt < unknownStatusQueryAttempts { await pause(queryRetryDelay) }
            }
        }
        logger.error("binance.order_outcome_unresolved", metadata: ["order.client_id": "\(id)", "binance.query_error": "\(last.map { "\($0)" } ?? "")"])
        throw ExecutionError(.unknownStatus, code: cause.code,
                             message: "order \(id) not resolved by its status query (cause: \(cause.message); last query: \(last.map { "\($0)" } ?? "none")); do not resend, reconcile")
    }

    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) {
        var query = QueryString()
        query.append("symbol", symbol.name)
        if isAlgo(id) {
            query.append("clientAlgoId", id.value)
            _ = try await rest.send(.delete, "/fapi/v1/algoOrder", query, security: .signed, protective: true)
            return
        }
        var regular = query
        regular.append("origClientOrderId", id.value)
        do {
            _ = try await rest.send(.delete, "/fapi/v1/order", regular, security: .signed, protective: true)
        } catch where error.code == -2011 || error.code == -2013 {
            // Not a regular order: it may be an algo order placed before a restart.
            query.append("clientAlgoId", id.value)
            _ = try await rest.send(.delete, "/fapi/v1/algoOrder", query, security: .signed, protective: true)
            _ = state.lock.withLock { _ in state.algoOrders.insert(id) }
        }
    }

    public func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> OrderSnapshot {
        try await order(id, symbol: symbol, protective: false)
    }

    /// The status of order `id`; `protective` for a close, a backstop or a cancel (the query is
    /// then never held back by the IP-weight budget).
    public func order(_ id: ClientOrderID, symbol: Symbol, protective: Bool) async throws(ExecutionError) -> OrderSnapshot {
        if isAlgo(id) { return try await query(id, symbol: symbol, route: .algo, protective: protective) }
        do {
            return try await query(id, symbol: symbol, route: .regular, protective: protective)
        } catch where error.code == -2013 {
            let snapshot = try await query(id, symbol: symbol, route: .algo, protective: protective)
            _ = state.lock.withLock { _ in state.algoOrders.insert(id) }
            return snapshot
        }
    }

    func query(_ id: ClientOrderID, symbol: Symbol, route: BinanceOrderRoute, protective: Bool) async throws(ExecutionError) -> OrderSnapshot {
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append(route == .regular ? "origClientOrderId" : "clientAlgoId", id.value)
        let body = try await rest.send(.get, route.path, query, security: .signed, protective: protective)
        return route == .regular
            ? try BinanceExecutionClient.snapshot(regular: body, method: .get, path: route.path)
            : try BinanceExecutionClient.snapshot(algo: body, method: .get, path: route.path)
    }

    /// Open regular orders and open algo orders.
    public func openOrders(symbol: Symbol?) async throws(ExecutionError) -> [OrderSnapshot] {
        var query = QueryString()
        query.append("symbol", symbol?.name)
        let regular: [BinanceOrder] = try await rest.call([BinanceOrder].self, .get, "/fapi/v1/openOrders", query, security: .signed)
        let algo: [BinanceAlgoOrder] = try await rest.call([BinanceAlgoOrder].self, .get, "/fapi/v1/openAlgoOrders", query, security: .signed)
        do {
            let snapshots = try regular.map { order throws(BinanceDecodingError) in try order.snapshot() }
            let algoSnapshots = try algo.map { order throws(BinanceDecodingError) in try order.snapshot() }
            state.lock.withLock { _ in for snapshot in algoSnapshots { state.algoOrders.insert(snapshot.request.clientOrderID) } }
            return snapshots + algoSnapshots
        } catch {
            throw ExecutionError(.configuration, message: error.description)
        }
    }

    public func positions() async throws(ExecutionError) -> [PositionSnapshot] {
        let rows: [BinancePositionRisk] = try await rest.call([BinancePositionRisk].self, .get, "/fapi/v3/positionRisk", security: .signed)
        let hints = state.lock.withLock { _ in state.leverage }
        var snapshots: [PositionSnapshot] = []
        for row in rows {
            do {
                if let snapshot = try row.snapshot(leverageHint: Symbol(row.symbol).flatMap { hints[$0] }) { snapshots.append(snapshot) }
            } catch {
                throw ExecutionError(.configuration, message: error.description)
            }
        }
        return snapshots
    }

    public func setLeverage(_ leverage: Int, symbol: Symbol) async throws(ExecutionError) {
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append("leverage", String(leverage))
        let change = try await rest.call(BinanceLeverageChange.self, .post, "/fapi/v1/leverage", query, security: .signed)
        state.lock.withLock { _ in state.leverage[symbol] = change.leverage }
    }

    public func executionEvents() -> AsyncStream<ExecutionEvent> { stream }

    /// Account news that is not an order report (`MARGIN_CALL`, `ACCOUNT_CONFIG_UPDATE`, the USDT
    /// wallet of every `ACCOUNT_UPDATE`), for the runtime to alert and re-check.
    public func venueNotices() -> AsyncStream<VenueNotice> { noticeStream }

    /// User-data messages dropped as unparseable or absurd, in arrival order (one consumer).
    /// Each is a gap in the user-data stream: the events it carried are lost.
    public func streamProblems() -> AsyncStream<BinanceStreamProblem> { problems }

    /// Feeds one user-data-stream message: parses, translates and publishes its events.
    /// Returns the decoded event so the stream loop can react (`listenKeyExpired`; `.unparseable`
    /// is a gap: the stream reconnects and resyncs); a message that fails to parse is also
    /// published on `streamProblems()`.
    @discardableResult
    public func handleUserDataMessage(_ bytes: [UInt8], receivedAt: Timestamp) -> BinanceUserDataEvent {
        let event: BinanceUserDataEvent
        do {
            event = try BinanceUserDataParser.parse(bytes, receivedAt: receivedAt)
        } catch {
            logger.error("binance.user_data_unparseable", metadata: ["binance.error": "\(error)"])
            problemContinuation.yield(BinanceStreamProblem(stream: .userData, error: error, receivedAt: receivedAt))
            return .unparseable(error)
        }
        switch event {
        case .marginCall(let time):
            noticeContinuation.yield(.marginCall(detail: "MARGIN_CALL from the venue", time: time))
        case .accountConfigUpdate(let symbol, let leverage, let time):
            if let symbol, let leverage { noticeContinuation.yield(.leverageChanged(symbol: symbol, leverage: leverage, time: time)) }
        case .accountUpdate(let update):
            if let usdt = update.balances.first(where: { $0.asset == "USDT" }) {
                noticeContinuation.yield(.walletChanged(walletBalance: usdt.walletBalance, reason: update.reason, time: update.transactionTime))
            }
        default:
            break
        }
        if case .ignored(let type) = event {
            logger.info("binance.user_data_event_ignored", metadata: ["binance.event": "\(type)"])
        }
        let (events, notes) = state.lock.withLock { _ in state.translator.translate(event) }
        for note in notes { logger.warning("binance.user_data_note", metadata: ["binance.note": "\(note)"]) }
        for item in events { continuation.yield(item) }
        return event
    }

    /// Publishes user-data updates still waiting for an `ALGO_UPDATE` link under their own ids
    /// (the REST resync is the point where no link can still be in flight).
    public func releaseHeldUserDataUpdates() {
        let (events, notes) = state.lock.withLock { _ in state.translator.releaseUnlinked() }
        for note in notes { logger.warning("binance.user_data_note", metadata: ["binance.note": "\(note)"]) }
        for item in events { continuation.yield(item) }
    }

    static func isNotFound(_ error: ExecutionError) -> Bool { error.code == -2013 || error.code == -2011 }

    static func snapshot(regular body: [UInt8], method: HTTPMethod, path: String) throws(ExecutionError) -> OrderSnapshot {
        do {
            return try BinanceOrder.parse(body, context: "\(method.rawValue) \(path)").snapshot()
        } catch {
            throw ExecutionError(method.isWrite ? .unknownStatus : .configuration, message: error.description)
        }
    }

    static func snapshot(algo body: [UInt8], method: HTTPMethod, path: String) throws(ExecutionError) -> OrderSnapshot {
        do {
            return try BinanceAlgoOrder.parse(body, context: "\(method.rawValue) \(path)").snapshot()
        } catch {
            throw ExecutionError(method.isWrite ? .unknownStatus : .configuration, message: error.description)
        }
    }
}
