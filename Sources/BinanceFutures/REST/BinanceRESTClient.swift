import Synchronization
import Foundation
import Logging
import TradingEngine
import TradingModel

/// Security type of an endpoint (USD-M General Info, "Endpoint Security Type").
public enum EndpointSecurity: Sendable, Hashable {
    /// Public market data.
    case none
    /// API key header only (listen-key management).
    case apiKey
    /// API key header plus `timestamp`, `recvWindow` and `signature` (TRADE, USER_DATA).
    case signed
}

/// Signs, sends and classifies Binance USD-M REST calls.
///
/// * Every parameter goes in the query string; the signature is computed over that exact
///   percent-encoded string and appended last; the body stays empty.
/// * `timestamp` = injected clock + server offset (`GET /fapi/v1/time`); a `-1021`/`-5028`
///   re-syncs the offset and retries the call exactly once with a new timestamp and signature.
/// * Every call is admitted by `RateLimitState` first (its weight and order count, from
///   `BinanceEndpointCost`): reads wait for the minute's weight budget, entries also for the
///   order-count budget, protective calls (reduce-only closes, close-position backstops, cancels,
///   and the status queries of those) are never held back by IP weight. A refused call throws
///   `.rateLimited(retryAfter:)` and is not sent; the wait is bounded. It never sleeps.
/// * Usage headers and 429/418 answers feed `RateLimitState` (usage belongs to its window).
/// * Failures become `ExecutionError`s (see `BinanceErrorClassifier`). Keys never appear in
///   errors or logs: errors carry the venue's code and message only.
public final class BinanceRESTClient: Sendable {
    let transport: any HTTPTransport
    let credentials: BinanceCredentials?
    let clock: any TradingClock
    let recvWindow: Int
    let logger: Logger
    private let state: LockedState

    private final class LockedState: @unchecked Sendable {
        // @unchecked: every access goes through `lock`.
        let lock = Mutex(())
        var serverOffsetMilliseconds: Int64 = 0
        var rateLimits = RateLimitState()
    }

    public init(transport: any HTTPTransport, credentials: BinanceCredentials?, clock: any TradingClock,
                recvWindow: Int = 5000, logger: Logger) {
        self.transport = transport
        self.credentials = credentials
        self.clock = clock
        self.recvWindow = recvWindow
        self.logger = logger
        self.state = LockedState()
    }

    /// Our estimate of the venue's clock.
    public var serverNow: Timestamp {
        let offset = state.lock.withLock { _ in state.serverOffsetMilliseconds }
        return Timestamp(milliseconds: clock.now.milliseconds + offset)
    }

    /// Current offset `serverTime − localTime` in milliseconds.
    public var serverOffsetMilliseconds: Int64 { state.lock.withLock { _ in state.serverOffsetMilliseconds } }

    /// A copy of the rate-limit bookkeeping.
    public var rateLimits: RateLimitState { state.lock.withLock { _ in state.rateLimits } }

    /// Adopts the limits read from `exchangeInfo.rateLimits` (nil or nonsense keeps the current one).
    public func setRateLimits(weightPerMinute: Int?, ordersPerTenSeconds: Int?, ordersPerMinute: Int?) {
        state.lock.withLock { _ in
            state.rateLimits.adopt(weightPerMinute: weightPerMinute, ordersPerTenSeconds: ordersPerTenSeconds, ordersPerMinute: ordersPerMinute)
        }
    }

    /// Reads `GET /fapi/v1/time` and stores `serverTime − localTime` (using the midpoint of the
    /// local send/receive instants).
    public func syncServerTime() async throws(ExecutionError) {
        let sentAt = clock.now
        let body = try await send(.get, "/fapi/v1/time", security: .none, retryOnTimestampError: false)
        let receivedAt = clock.now
        let time: BinanceServerTime = try BinanceRESTClient.decode(body, method: .get, path: "/fapi/v1/time")
        let serverTime: Timestamp
        do throws(BinanceDecodingError) {
            serverTime = try Field.time(time.serverTime, "serverTime", "GET /fapi/v1/time")
        } catch {
            throw ExecutionError(.configuration, message: error.description)
        }
        let midpoint = (sentAt.milliseconds + receivedAt.milliseconds) / 2
        let offset = serverTime.milliseconds - midpoint
        state.lock.withLock { _ in state.serverOffsetMilliseconds = offset }
        logger.info("binance.server_time_synced", metadata: ["binance.offset_ms": "\(offset)"])
    }

    /// Builds the exact request that would be sent (signed when `security == .signed`).
    public func buildRequest(_ method: HTTPMethod, _ path: String, _ parameters: QueryString,
                             security: EndpointSecurity) throws(ExecutionError) -> HTTPRequestData {
        var query = parameters
        var headers: [String: String] = [:]
        if security != .none {
            guard let credentials else {
                throw ExecutionError(.configuration, message: "\(method.rawValue) \(path) needs API credentials")
            }
            headers["X-MBX-APIKEY"] = credentials.apiKey
            if security == .signed {
                query.append("recvWindow", String(recvWindow))
                query.append("timestamp", String(serverNow.milliseconds))
                let payload = query.encoded
                let signature = credentials.signature(of: payload)
                return HTTPRequestData(method: method, path: path,
                                       query: payload + "&signature=" + QueryString.percentEncode(signature), headers: headers)
            }
        }
        return HTTPRequestData(method: method, path: path, query: query.encoded, headers: headers)
    }

    /// Sends one call and returns the body of a 2xx response.
    /// - Parameter protective: a reduce-only close, a close-position backstop, a cancel, or the
    ///   status query of one of those: never held back by the IP-weight budget.
    public func send(_ method: HTTPMethod, _ path: String, _ parameters: QueryString = QueryString(),
                     security: EndpointSecurity, protective: Bool = false, retryOnTimestampError: Bool = true) async throws(ExecutionError) -> [UInt8] {
        let cost = BinanceEndpointCost.cost(method, path, parameters, protective: protective)
        let sentAt = serverNow
        if let wait = state.lock.withLock({ _ in state.rateLimits.admit(cost, at: sentAt) }) {
            throw ExecutionError(.rateLimited(retryAfter: wait),
                                 message: "\(method.rawValue) \(path) not sent: rate-limit budget or back-off (weight \(cost.weight), wait \(wait))")
        }
        let request = try buildRequest(method, path, parameters, security: security)
        let response: HTTPResponseData
        do {
            response = try await transport.send(request)
        } catch {
            throw transportFailure(error, method: method, path: path)
        }
        let receivedAt = serverNow
        state.lock.withLock { _ in state.rateLimits.observe(headers: response.headers, sentAt: sentAt, receivedAt: receivedAt) }
        if (200..<300).contains(response.status) { return response.body }

        let apiError = BinanceAPIError.parse(response.body)
        if security == .signed, retryOnTimestampError, let code = apiError?.code, code == -1021 || code == -5028 {
            logger.warning("binance.timestamp_rejected_resyncing", metadata: ["binance.path": "\(path)", "binance.code": "\(code)"])
            try await syncServerTime()
            return try await send(method, path, parameters, security: security, protective: protective, retryOnTimestampError: false)
        }
        var wait: Duration?
        if response.status == 429 || response.status == 418 || apiError?.code == -1003 || apiError?.code == -1015 {
            let backOff = state.lock.withLock { _ in
                state.rateLimits.rateLimited(status: response.status, code: apiError?.code, message: apiError?.msg,
                                             retryAfterHeader: response.header("Retry-After"),
                                             bannedUntil: apiError?.bannedUntil, at: receivedAt)
            }
            wait = backOff
            logger.error("binance.rate_limited", metadata: [
                "binance.path": "\(path)", "binance.status": "\(response.status)", "binance.back_off": "\(backOff)",
            ])
        }
        let kind = BinanceErrorClassifier.classify(status: response.status, error: apiError, isWrite: method.isWrite, rateLimitWait: wait)
        let message = apiError?.msg ?? "HTTP \(response.status) from \(method.rawValue) \(path)"
        logger.warning("binance.request_failed", metadata: [
            "binance.path": "\(path)", "binance.status": "\(response.status)", "binance.code": "\(apiError?.code ?? 0)",
        ])
        throw ExecutionError(kind, code: apiError?.code, message: message)
    }

    /// Sends and decodes a JSON response.
    public func call<T: Decodable>(_ type: T.Type, _ method: HTTPMethod, _ path: String, _ parameters: QueryString = QueryString(),
                                   security: EndpointSecurity, protective: Bool = false) async throws(ExecutionError) -> T {
        let body = try await send(method, path, parameters, security: security, protective: protective)
        return try BinanceRESTClient.decode(body, method: method, path: path)
    }

    /// Decodes a 2xx body. A write whose answer cannot be read has an unknown outcome; an
    /// unreadable read means the adapter no longer matches the venue (stop: configuration).
    static func decode<T: Decodable>(_ body: [UInt8], method: HTTPMethod, path: String) throws(ExecutionError) -> T {
        do {
            return try BinanceJSON.decode(body, context: "\(method.rawValue) \(path)")
        } catch {
            throw ExecutionError(method.isWrite ? .unknownStatus : .configuration, message: error.description)
        }
    }

    private func transportFailure(_ error: HTTPTransportError, method: HTTPMethod, path: String) -> ExecutionError {
        switch error {
        case .notSent(let reason):
            logger.warning("binance.request_not_sent", metadata: ["binance.path": "\(path)", "binance.reason": "\(reason)"])
            return ExecutionError(.transient, message: "\(method.rawValue) \(path) not sent: \(reason)")
        case .timedOut, .connectionLost:
            logger.warning("binance.request_outcome_unknown", metadata: ["binance.path": "\(path)"])
            return ExecutionError(method.isWrite ? .unknownStatus : .transient,
                                  message: "\(method.rawValue) \(path): no response (\(error))")
        }
    }
}

/// `GET /fapi/v1/time`.
struct BinanceServerTime: Decodable {
    var serverTime: Int64
}
