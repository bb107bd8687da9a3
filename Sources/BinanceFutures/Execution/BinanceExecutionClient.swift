import Logging
import TradingEngine
import TradingModel

/// The Binance USD-M `ExecutionClient`: orders over REST, events from the user-data stream.
///
/// Unknown outcomes are never resent: a timeout, 5xx-unknown, `-1000`/`-1007` on a write, or a
/// `-4116` duplicate id is resolved by querying the order by client id (retrying a few times on
/// `-2013`, which can mean "not visible yet"); if it still cannot be found the error stays
/// `.unknownStatus` and reconciliation decides.
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

    final class LockedState: @unchecked Sendable {
        // @unchecked: every access goes through `lock`.
        let lock = Mutex()
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
        state.lock.withLock { for instrument in instruments { state.instruments[instrument.symbol] = instrument } }
    }

    /// Replaces an instrument (after an exchangeInfo refresh).
    public func update(_ instrument: Instrument) { state.lock.withLock { state.instruments[instrument.symbol] = instrument } }

    func instrument(_ symbol: Symbol) throws(ExecutionError) -> Instrument {
        guard let instrument = state.lock.withLock({ state.instruments[symbol] }) else {
            throw ExecutionError(.configuration, message: "no instrument loaded for \(symbol)")
        }
        return instrument
    }

    func isAlgo(_ id: ClientOrderID) -> Bool { state.lock.withLock { state.algoOrders.contains(id) } }

    // MARK: ExecutionClient

    public func submit(_ order: OrderRequest) async throws(ExecutionError) -> OrderSnapshot {
        let (route, parameters) = try BinanceOrderEncoder.encode(order, instrument: instrument(order.symbol))
        if route == .algo { _ = state.lock.withLock { state.algoOrders.insert(order.clientOrderID) } }
        do {
            switch route {
            case .regular:
                let body = try await rest.send(.post, route.path, parameters, security: .signed)
                return try BinanceExecutionClient.snapshot(regular: body, method: .post, path: route.path)
            case .algo:
                let body = try await rest.send(.post, route.path, parameters, security: .signed)
                return try BinanceExecutionClient.snapshot(algo: body, method: .post, path: route.path)
            }
        } catch {
            var duplicate = false
            if case .rejected(let rejection) = error.kind, rejection.reason == .duplicateClientOrderID { duplicate = true }
            guard error.kind == .unknownStatus || duplicate else { throw error }
            logger.warning("binance.order_outcome_unknown_querying", metadata: [
                "order.client_id": "\(order.clientOrderID)", "binance.code": "\(error.code ?? 0)",
            ])
            return try await resolve(order.clientOrderID, symbol: order.symbol, route: route, cause: error)
        }
    }

    /// Places a trailing stop on the Algo Order API.
    public func submitTrailingStop(_ order: BinanceTrailingStopRequest) async throws(ExecutionError) -> OrderSnapshot {
        let parameters = try BinanceOrderEncoder.encode(order, instrument: instrument(order.symbol))
        _ = state.lock.withLock { state.algoOrders.insert(order.clientOrderID) }
        do {
            let body = try await rest.send(.post, BinanceOrderRoute.algo.path, parameters, security: .signed)
            return try BinanceExecutionClient.snapshot(algo: body, method: .post, path: BinanceOrderRoute.algo.path)
        } catch where error.kind == .unknownStatus || error.code == -4116 {
            return try await resolve(order.clientOrderID, symbol: order.symbol, route: .algo, cause: error)
        }
    }

    /// Queries by client id until the order is visible; never resends.
    func resolve(_ id: ClientOrderID, symbol: Symbol, route: BinanceOrderRoute, cause: ExecutionError) async throws(ExecutionError) -> OrderSnapshot {
        for attempt in 1...unknownStatusQueryAttempts {
            do {
                let snapshot = try await query(id, symbol: symbol, route: route)
                logger.info("binance.order_outcome_resolved", metadata: [
                    "order.client_id": "\(id)", "order.status": "\(snapshot.status.rawValue)", "binance.attempt": "\(attempt)",
                ])
                return snapshot
            } catch where BinanceExecutionClient.isNotFound(error) || error.kind == .transient {
                if attempt < unknownStatusQueryAttempts { await pause(queryRetryDelay) }
            }
        }
        logger.error("binance.order_outcome_unresolved", metadata: ["order.client_id": "\(id)"])
        throw ExecutionError(.unknownStatus, code: cause.code,
                             message: "order \(id) not visible after \(unknownStatusQueryAttempts) queries (cause: \(cause.message)); do not resend, reconcile")
    }

    public func cancel(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) {
        var query = QueryString()
        query.append("symbol", symbol.name)
        if isAlgo(id) {
            query.append("clientAlgoId", id.value)
            _ = try await rest.send(.delete, "/fapi/v1/algoOrder", query, security: .signed)
            return
        }
        var regular = query
        regular.append("origClientOrderId", id.value)
        do {
            _ = try await rest.send(.delete, "/fapi/v1/order", regular, security: .signed)
        } catch where error.code == -2011 || error.code == -2013 {
            // Not a regular order: it may be an algo order placed before a restart.
            query.append("clientAlgoId", id.value)
            _ = try await rest.send(.delete, "/fapi/v1/algoOrder", query, security: .signed)
            _ = state.lock.withLock { state.algoOrders.insert(id) }
        }
    }

    public func order(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) -> OrderSnapshot {
        if isAlgo(id) { return try await query(id, symbol: symbol, route: .algo) }
        do {
            return try await query(id, symbol: symbol, route: .regular)
        } catch where error.code == -2013 {
            let snapshot = try await query(id, symbol: symbol, route: .algo)
            _ = state.lock.withLock { state.algoOrders.insert(id) }
            return snapshot
        }
    }

    func query(_ id: ClientOrderID, symbol: Symbol, route: BinanceOrderRoute) async throws(ExecutionError) -> OrderSnapshot {
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append(route == .regular ? "origClientOrderId" : "clientAlgoId", id.value)
        let body = try await rest.send(.get, route.path, query, security: .signed)
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
            state.lock.withLock { for snapshot in algoSnapshots { state.algoOrders.insert(snapshot.request.clientOrderID) } }
            return snapshots + algoSnapshots
        } catch {
            throw ExecutionError(.configuration, message: error.description)
        }
    }

    public func positions() async throws(ExecutionError) -> [PositionSnapshot] {
        let rows: [BinancePositionRisk] = try await rest.call([BinancePositionRisk].self, .get, "/fapi/v3/positionRisk", security: .signed)
        let hints = state.lock.withLock { state.leverage }
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
        state.lock.withLock { state.leverage[symbol] = change.leverage }
    }

    public func executionEvents() -> AsyncStream<ExecutionEvent> { stream }

    /// Account news that is not an order report (`MARGIN_CALL`, `ACCOUNT_CONFIG_UPDATE`, an
    /// unreadable message), for the runtime to alert and re-check.
    public func venueNotices() -> AsyncStream<VenueNotice> { noticeStream }

    /// Feeds one user-data-stream message: parses, translates and publishes its events.
    /// Returns the decoded event so the stream loop can react (`listenKeyExpired`); nil when the
    /// message could not be read (a notice is published; the stream treats it as a gap).
    @discardableResult
    public func handleUserDataMessage(_ bytes: [UInt8], receivedAt: Timestamp) -> BinanceUserDataEvent? {
        let event: BinanceUserDataEvent
        do {
            event = try BinanceUserDataParser.parse(bytes, receivedAt: receivedAt)
        } catch {
            logger.error("binance.user_data_unparseable", metadata: ["binance.error": "\(error)"])
            noticeContinuation.yield(.unreadableMessage(detail: "\(error)", time: receivedAt))
            return nil
        }
        switch event {
        case .marginCall(let time):
            noticeContinuation.yield(.marginCall(detail: "MARGIN_CALL from the venue", time: time))
        case .accountConfigUpdate(let symbol, let leverage, let time):
            if let symbol, let leverage { noticeContinuation.yield(.leverageChanged(symbol: symbol, leverage: leverage, time: time)) }
        default:
            break
        }
        if case .ignored(let type) = event {
            logger.info("binance.user_data_event_ignored", metadata: ["binance.event": "\(type)"])
        }
        let (events, notes) = state.lock.withLock { state.translator.translate(event) }
        for note in notes { logger.warning("binance.user_data_note", metadata: ["binance.note": "\(note)"]) }
        for item in events { continuation.yield(item) }
        return event
    }

    /// Publishes user-data updates still waiting for an `ALGO_UPDATE` link under their own ids
    /// (the REST resync is the point where no link can still be in flight).
    public func releaseHeldUserDataUpdates() {
        let (events, notes) = state.lock.withLock { state.translator.releaseUnlinked() }
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
