import TradingEngine
import TradingModel

/// Maps a failed REST call to an `ExecutionErrorKind`, following the digest's tables
/// (reference/binance-usdm README §6). Pure: the caller supplies the back-off it computed.
///
/// Rules of thumb: a write whose outcome the venue could not confirm is `unknownStatus` (never
/// blind-retried); a read that failed on the venue's side is `transient`; order refusals are
/// `rejected` with a typed reason; key, permission and request-shape bugs are `configuration`.
public enum BinanceErrorClassifier {
    /// - Parameters:
    ///   - status: HTTP status.
    ///   - error: decoded error body, when there is one.
    ///   - isWrite: the request changes venue state (POST/PUT/DELETE).
    ///   - rateLimitWait: how long to stay silent after a 429/418/-1003/-1015 (from
    ///     `Retry-After`, the ban end or the window reset).
    public static func classify(status: Int, error: BinanceAPIError?, isWrite: Bool, rateLimitWait: Duration?) -> ExecutionErrorKind {
        if status == 429 || status == 418 { return .rateLimited(retryAfter: rateLimitWait) }
        if let error {
            if let kind = classify(code: error.code, message: error.msg, isWrite: isWrite, rateLimitWait: rateLimitWait) {
                return kind
            }
        }
        switch status {
        case 403: return .configuration
        case 408: return isWrite ? .unknownStatus : .transient
        case 500...599:
            let message = error?.msg ?? ""
            if message.hasPrefix("Service Unavailable") || message.hasPrefix("Internal error; unable to process") {
                return .transient
            }
            return isWrite ? .unknownStatus : .transient
        default:
            return .rejected(OrderRejection(.other, code: error?.code, message: error?.msg ?? "HTTP \(status)"))
        }
    }

    /// The kind for a venue error code; nil for codes this table does not know (the HTTP status decides).
    static func classify(code: Int, message: String, isWrite: Bool, rateLimitWait: Duration?) -> ExecutionErrorKind? {
        func reject(_ reason: OrderRejection.Reason) -> ExecutionErrorKind {
            .rejected(OrderRejection(reason, code: code, message: message))
        }
        switch code {
        case -1000, -1001, -1007:
            return isWrite ? .unknownStatus : .transient
        case -1003, -1015:
            return .rateLimited(retryAfter: rateLimitWait)
        case -1021, -5028:
            return .transient
        case -1125:
            return .transient
        case -1022, -2014, -2015, -1121, -4015, -4120, -4047, -4048, -4067, -4068, -1116:
            return .configuration
        case -1013:
            if message.contains("MIN_NOTIONAL") || message.contains("notional") { return reject(.minNotional) }
            if message.contains("PRICE_FILTER") || message.contains("LOT_SIZE") || message.contains("precision") {
                return reject(.precision)
            }
            return reject(.other)
        case -1111, -4003, -4014, -4023:
            return reject(.precision)
        case -4164:
            return reject(.minNotional)
        case -2019:
            return reject(.insufficientMargin)
        case -2021:
            return reject(.wouldImmediatelyTrigger)
        case -2022:
            return reject(.reduceOnlyRejected)
        case -4116:
            return reject(.duplicateClientOrderID)
        case -4131:
            return .transient
        case -1102, -1106, -2010, -2011, -2013, -2025, -5021, -5022, -2027, -4028, -4046, -4059:
            return reject(.other)
        default:
            return nil
        }
    }
}
