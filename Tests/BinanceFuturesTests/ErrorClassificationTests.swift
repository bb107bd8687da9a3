import BinanceFutures
import Testing
import TradingEngine
import TradingModel

@Suite("Error classification")
struct ErrorClassificationTests {
    struct Case: Sendable, CustomStringConvertible {
        var status: Int
        var code: Int?
        var message: String
        var isWrite: Bool
        var expected: ExecutionErrorKind
        var description: String { "HTTP \(status) code \(code.map(String.init) ?? "-") write=\(isWrite)" }
    }

    static func rejected(_ reason: OrderRejection.Reason, _ code: Int, _ message: String) -> ExecutionErrorKind {
        .rejected(OrderRejection(reason, code: code, message: message))
    }

    static let cases: [Case] = [
        Case(status: 400, code: -1000, message: "unknown", isWrite: true, expected: .unknownStatus),
        Case(status: 400, code: -1000, message: "unknown", isWrite: false, expected: .transient),
        Case(status: 400, code: -1001, message: "disconnected", isWrite: false, expected: .transient),
        Case(status: 400, code: -1001, message: "disconnected", isWrite: true, expected: .unknownStatus),
        Case(status: 400, code: -1007, message: "Timeout waiting for response from backend server.", isWrite: true, expected: .unknownStatus),
        Case(status: 400, code: -1015, message: "Too many new orders", isWrite: true, expected: .rateLimited(retryAfter: .seconds(7))),
        Case(status: 400, code: -1021, message: "Timestamp outside recvWindow", isWrite: true, expected: .transient),
        Case(status: 400, code: -5028, message: "ME recvWindow", isWrite: true, expected: .transient),
        Case(status: 400, code: -1022, message: "Signature invalid", isWrite: true, expected: .configuration),
        Case(status: 401, code: -2015, message: "Invalid API-key, IP, or permissions for action.", isWrite: false, expected: .configuration),
        Case(status: 400, code: -2014, message: "API-key format invalid.", isWrite: false, expected: .configuration),
        Case(status: 400, code: -1121, message: "Invalid symbol.", isWrite: true, expected: .configuration),
        Case(status: 400, code: -4015, message: "Client order id is not valid.", isWrite: true, expected: .configuration),
        Case(status: 400, code: -4120, message: "Order type not supported for this endpoint.", isWrite: true, expected: .configuration),
        Case(status: 400, code: -1116, message: "Invalid orderType.", isWrite: true, expected: .configuration),
        Case(status: 400, code: -1125, message: "This listenKey does not exist.", isWrite: true, expected: .transient),
        Case(status: 400, code: -1111, message: "Precision is over the maximum defined for this asset.", isWrite: true,
             expected: rejected(.precision, -1111, "Precision is over the maximum defined for this asset.")),
        Case(status: 400, code: -4014, message: "Price not increased by tick size.", isWrite: true, expected: rejected(.precision, -4014, "Price not increased by tick size.")),
        Case(status: 400, code: -4023, message: "Qty not increased by step size.", isWrite: true, expected: rejected(.precision, -4023, "Qty not increased by step size.")),
        Case(status: 400, code: -4003, message: "Quantity less than or equal to zero.", isWrite: true, expected: rejected(.precision, -4003, "Quantity less than or equal to zero.")),
        Case(status: 400, code: -1013, message: "Filter failure: PRICE_FILTER", isWrite: true, expected: rejected(.precision, -1013, "Filter failure: PRICE_FILTER")),
        Case(status: 400, code: -1013, message: "Filter failure: MIN_NOTIONAL", isWrite: true, expected: rejected(.minNotional, -1013, "Filter failure: MIN_NOTIONAL")),
        Case(status: 400, code: -4164, message: "Order's notional must be no smaller than 5.0", isWrite: true, expected: rejected(.minNotional, -4164, "Order's notional must be no smaller than 5.0")),
        Case(status: 400, code: -2019, message: "Margin is insufficient.", isWrite: true, expected: rejected(.insufficientMargin, -2019, "Margin is insufficient.")),
        Case(status: 400, code: -2021, message: "Order would immediately trigger.", isWrite: true, expected: rejected(.wouldImmediatelyTrigger, -2021, "Order would immediately trigger.")),
        Case(status: 400, code: -2022, message: "ReduceOnly Order is rejected.", isWrite: true, expected: rejected(.reduceOnlyRejected, -2022, "ReduceOnly Order is rejected.")),
        Case(status: 400, code: -4116, message: "ClientOrderId is duplicated.", isWrite: true, expected: rejected(.duplicateClientOrderID, -4116, "ClientOrderId is duplicated.")),
        Case(status: 400, code: -2010, message: "Order rejected", isWrite: true, expected: rejected(.other, -2010, "Order rejected")),
        Case(status: 400, code: -2011, message: "Unknown order sent.", isWrite: true, expected: rejected(.other, -2011, "Unknown order sent.")),
        Case(status: 400, code: -2013, message: "Order does not exist.", isWrite: false, expected: rejected(.other, -2013, "Order does not exist.")),
        Case(status: 400, code: -2025, message: "Reach max open order limit.", isWrite: true, expected: rejected(.other, -2025, "Reach max open order limit.")),
        Case(status: 400, code: -5021, message: "FOK rejected", isWrite: true, expected: rejected(.other, -5021, "FOK rejected")),
        Case(status: 400, code: -5022, message: "Post Only rejected", isWrite: true, expected: rejected(.other, -5022, "Post Only rejected")),
        Case(status: 400, code: -1102, message: "Mandatory parameter missing", isWrite: true, expected: rejected(.other, -1102, "Mandatory parameter missing")),
        Case(status: 400, code: -4131, message: "counterparty best price out of range", isWrite: true, expected: .transient),
        Case(status: 429, code: -1003, message: "Too many requests", isWrite: false, expected: .rateLimited(retryAfter: .seconds(7))),
        Case(status: 418, code: -1003, message: "banned until 1615183669840", isWrite: true, expected: .rateLimited(retryAfter: .seconds(7))),
        Case(status: 403, code: nil, message: "", isWrite: false, expected: .configuration),
        Case(status: 408, code: nil, message: "", isWrite: true, expected: .unknownStatus),
        Case(status: 408, code: nil, message: "", isWrite: false, expected: .transient),
        Case(status: 503, code: nil, message: "Unknown error, please check your request or try again later.", isWrite: true, expected: .unknownStatus),
        Case(status: 503, code: nil, message: "Service Unavailable.", isWrite: true, expected: .transient),
        Case(status: 503, code: nil, message: "Internal error; unable to process your request. Please try again.", isWrite: true, expected: .transient),
        Case(status: 502, code: nil, message: "", isWrite: false, expected: .transient),
        Case(status: 500, code: nil, message: "", isWrite: true, expected: .unknownStatus),
    ]

    @Test(arguments: cases)
    func classification(_ item: Case) {
        // A body without a known code (code 0) leaves the decision to the HTTP status and message.
        let error = item.code == nil && item.message.isEmpty ? nil : BinanceAPIError(code: item.code ?? 0, msg: item.message)
        let kind = BinanceErrorClassifier.classify(status: item.status, error: error, isWrite: item.isWrite, rateLimitWait: .seconds(7))
        #expect(kind == item.expected)
    }

    /// The assembled catalogue of real error bodies classifies without a single "unknown" fallback.
    @Test func catalogFixture() throws {
        struct Entry: Decodable { var http: Int; var body: BinanceAPIError }
        let entries = try BinanceJSONTestHook.decode([Entry].self, try fixture("error_responses_catalog.json"))
        #expect(entries.count == 12)
        let kinds = entries.map { BinanceErrorClassifier.classify(status: $0.http, error: $0.body, isWrite: true, rateLimitWait: .seconds(1)) }
        #expect(kinds[2] == .rejected(OrderRejection(.insufficientMargin, code: -2019, message: "Margin is insufficient.")))
        #expect(kinds[6] == .configuration)  // -4120 can only mean we sent a conditional type to /fapi/v1/order
        #expect(kinds[11] == .rateLimited(retryAfter: .seconds(1)))
        #expect(entries[11].body.bannedUntil == Timestamp(milliseconds: 1_615_183_669_840))
    }
}
