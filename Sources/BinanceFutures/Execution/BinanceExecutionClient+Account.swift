import TradingEngine
import TradingModel
import Logging

/// Start-up checks, account and analytics reads, listen-key management (instruments:
/// `BinanceExecutionClient+Instruments`).
extension BinanceExecutionClient {
    /// The message of the start-up refusal when the account is in hedge mode.
    public static let hedgeModeRefusal =
        "account is in hedge mode (dualSidePosition=true); QuantumTrader supports one-way mode only. "
        + "Switch to one-way mode in Binance (Preferences > Position Mode) with no open positions or orders, then restart."

    /// The account's position mode (`GET /fapi/v1/positionSide/dual`).
    public func positionMode() async throws(ExecutionError) -> PositionMode {
        let mode = try await rest.call(BinancePositionMode.self, .get, "/fapi/v1/positionSide/dual", security: .signed)
        return mode.dualSidePosition ? .hedge : .oneWay
    }

    /// Refuses to start unless the account is in one-way position mode (a `.configuration` error
    /// with `hedgeModeRefusal` as its message).
    public func verifyOneWayPositionMode() async throws(ExecutionError) {
        if try await positionMode() == .hedge {
            logger.critical("binance.hedge_mode_refused")
            throw ExecutionError(.configuration, message: BinanceExecutionClient.hedgeModeRefusal)
        }
    }

    /// Sets ISOLATED margin for `symbol`; "no need to change" (`-4046`) counts as success.
    public func setIsolatedMargin(symbol: Symbol) async throws(ExecutionError) {
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append("marginType", "ISOLATED")
        do {
            _ = try await rest.send(.post, "/fapi/v1/marginType", query, security: .signed)
        } catch where error.code == -4046 {
            return
        }
    }

    public func account() async throws(ExecutionError) -> BinanceAccount {
        try await rest.call(BinanceAccount.self, .get, "/fapi/v3/account", security: .signed)
    }

    /// Whether the keys may trade, and the position mode (`GET /fapi/v1/accountConfig`, weight 5).
    public func accountConfig() async throws(ExecutionError) -> BinanceAccountConfig {
        try await rest.call(BinanceAccountConfig.self, .get, "/fapi/v1/accountConfig", security: .signed)
    }

    /// Every row of `GET /fapi/v3/positionRisk` (weight 5), flat ones included, as the venue sent them.
    public func positionRisk() async throws(ExecutionError) -> [BinancePositionRisk] {
        try await rest.call([BinancePositionRisk].self, .get, "/fapi/v3/positionRisk", security: .signed)
    }

    public func balances() async throws(ExecutionError) -> [BinanceBalance] {
        try await rest.call([BinanceBalance].self, .get, "/fapi/v3/balance", security: .signed)
    }

    /// Fills of `symbol` (`GET /fapi/v1/userTrades`, weight 5).
    public func userTrades(symbol: Symbol, from start: Timestamp? = nil, to end: Timestamp? = nil, limit: Int = 500) async throws(ExecutionError) -> [BinanceUserTrade] {
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append("startTime", start.map { String($0.milliseconds) })
        query.append("endTime", end.map { String($0.milliseconds) })
        query.append("limit", String(limit))
        return try await rest.call([BinanceUserTrade].self, .get, "/fapi/v1/userTrades", query, security: .signed)
    }

    /// Income rows (`REALIZED_PNL`, `COMMISSION`, `FUNDING_FEE`, …; weight 30).
    public func income(symbol: Symbol? = nil, type: String? = nil, from start: Timestamp? = nil, to end: Timestamp? = nil,
                       limit: Int = 1000) async throws(ExecutionError) -> [BinanceIncome] {
        var query = QueryString()
        query.append("symbol", symbol?.name)
        query.append("incomeType", type)
        query.append("startTime", start.map { String($0.milliseconds) })
        query.append("endTime", end.map { String($0.milliseconds) })
        query.append("limit", String(limit))
        return try await rest.call([BinanceIncome].self, .get, "/fapi/v1/income", query, security: .signed)
    }

    /// `POST /fapi/v1/listenKey` (API key only): a new key, or the active one extended.
    public func createListenKey() async throws(ExecutionError) -> String {
        try await rest.call(BinanceListenKey.self, .post, "/fapi/v1/listenKey", security: .apiKey).listenKey
    }

    /// `PUT /fapi/v1/listenKey`: extends the key by 60 minutes. `-1125` means it expired.
    public func keepAliveListenKey() async throws(ExecutionError) {
        _ = try await rest.send(.put, "/fapi/v1/listenKey", security: .apiKey)
    }

    /// Cancels a conditional order by client id on the Algo Order API.
    public func cancelAlgo(_ id: ClientOrderID, symbol: Symbol) async throws(ExecutionError) {
        var query = QueryString()
        query.append("symbol", symbol.name)
        query.append("clientAlgoId", id.value)
        _ = try await rest.send(.delete, "/fapi/v1/algoOrder", query, security: .signed, protective: true)
    }
}

/// Market-data history (public, unsigned).
extension BinanceExecutionClient {
    /// Closed klines of `symbol` opening in `[start, end]`, paged (`BinanceRESTClient.klineHistory`).
    public func klineHistory(symbol: Symbol, interval: String, length: Duration, start: Timestamp, end: Timestamp,
                             pageLimit: Int = BinanceRESTClient.klinePageLimit) async throws(ExecutionError) -> KlineHistory {
        try await rest.klineHistory(symbol: symbol, interval: interval, length: length, start: start, end: end, pageLimit: pageLimit)
    }

    /// The venue's clock as estimated from the last server-time sync.
    public var serverNow: Timestamp { rest.serverNow }
}
