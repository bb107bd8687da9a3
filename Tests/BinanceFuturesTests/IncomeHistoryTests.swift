@testable import BinanceFutures
import Foundation
import Testing
import TradingEngine
import TradingModel

/// `GET /fapi/v1/income` through the signing, rate-limited REST client: paging by time with the
/// 1000-row limit, pages that overlap, and the bad days (429, 5xx, bad keys).
@Suite struct IncomeHistoryTests {
    static func row(_ symbol: String, _ type: String, _ income: String, time: Int64, tranId: Int64, tradeId: String = "\"\"") -> String {
        #"{"symbol":"\#(symbol)","incomeType":"\#(type)","income":"\#(income)","asset":"USDT","info":"","time":\#(time),"tranId":\#(tranId),"tradeId":\#(tradeId)}"#
    }

    static func page(_ rows: [String]) -> Result<HTTPResponseData, HTTPTransportError> { ok("[" + rows.joined(separator: ",") + "]") }

    static func rest(_ script: [Result<HTTPResponseData, HTTPTransportError>]) -> (BinanceRESTClient, ScriptedTransport, ManualClock) {
        let transport = ScriptedTransport(script)
        let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
        let rest = BinanceRESTClient(transport: transport, credentials: BinanceCredentials(apiKey: testAPIKey, hmacSecret: testSecret),
                                     clock: clock, logger: capturingLogger().0)
        return (rest, transport, clock)
    }

    @Test func theRecordedPayloadParsesATransferWithoutSymbolOrTrade() throws {
        let rows = try BinanceIncomeRow.parse(try fixture("rest_income.json"))
        #expect(rows == [ExchangeIncome(symbol: nil, kind: .other("TRANSFER"), amount: Money("-0.375")!, asset: "USDT",
                                        time: Timestamp(milliseconds: 1_570_608_000_000), transactionID: 9_689_322_392, tradeID: nil)])
        // tradeId as a number, a bad amount named by its row and field
        let numbered = try BinanceIncomeRow.parse(Array(("[" + Self.row("ATOMUSDT", "COMMISSION", "-0.0012", time: 5, tranId: 1, tradeId: "77") + "]").utf8))
        #expect(numbered.first?.tradeID == "77" && numbered.first?.kind == .commission)
        let bad = #expect(throws: BinanceDecodingError.self) {
            try BinanceIncomeRow.parse(Array(("[" + Self.row("ATOMUSDT", "COMMISSION", "lots", time: 5, tranId: 1) + "]").utf8))
        }
        #expect(bad?.description == "GET /fapi/v1/income[0]: field income: not a decimal: \"lots\"")
    }

    @Test func pagesByTimeFromTheLastRowAndCountsOverlappingRowsOnce() async throws {
        let (rest, transport, _) = Self.rest([
            Self.page([Self.row("ATOMUSDT", "REALIZED_PNL", "1.5", time: 1_000, tranId: 1),
                       Self.row("ATOMUSDT", "COMMISSION", "-0.1", time: 1_000, tranId: 1),
                       Self.row("ATOMUSDT", "COMMISSION", "-0.2", time: 2_000, tranId: 3)]),
            // the next page starts at 2000 and answers tranId 3 again
            Self.page([Self.row("ATOMUSDT", "COMMISSION", "-0.2", time: 2_000, tranId: 3),
                       Self.row("LINKUSDT", "FUNDING_FEE", "-0.03", time: 3_000, tranId: 4),
                       Self.row("ATOMUSDT", "REALIZED_PNL", "-2", time: 4_000, tranId: 5)]),
            Self.page([Self.row("ATOMUSDT", "REALIZED_PNL", "-2", time: 4_000, tranId: 5),
                       Self.row("", "TRANSFER", "100", time: 5_000, tranId: 6)]),
        ])
        let history = try await rest.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000), pageLimit: 3,
                                                   pause: { _ in Issue.record("no pause expected") })
        #expect(history.rows.map(\.identity) == ["REALIZED_PNL#1", "COMMISSION#1", "COMMISSION#3", "FUNDING_FEE#4", "REALIZED_PNL#5", "TRANSFER#6"])
        #expect(history.requests == 3 && history.weight == 90 && history.retries == 0 && history.crowdedMilliseconds.isEmpty)
        let requests = transport.requests
        #expect(requests.map(\.path) == Array(repeating: "/fapi/v1/income", count: 3))
        #expect(requests.compactMap { parameter("startTime", in: $0) } == ["0", "2000", "4000"])
        #expect(requests.allSatisfy { parameter("endTime", in: $0) == "9000" && parameter("limit", in: $0) == "3" })
        // signed: key header and signature, never the secret
        #expect(requests.allSatisfy { $0.headers["X-MBX-APIKEY"] == testAPIKey && parameter("signature", in: $0) != nil && !$0.query.contains(testSecret) })
    }

    @Test func theDefaultPageIsBinancesThousandRows() async throws {
        let (rest, transport, _) = Self.rest([Self.page([])])
        let history = try await rest.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000), pause: { _ in })
        #expect(history.rows.isEmpty && history.requests == 1)
        #expect(parameter("limit", in: transport.requests[0]) == "1000")
        await #expect(throws: ExecutionError.self) { _ = try await rest.income(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 1), limit: 1001) }
    }

    @Test func aFullPageInOneMillisecondStepsPastItAndSaysSo() async throws {
        let (rest, _, _) = Self.rest([
            Self.page([Self.row("ATOMUSDT", "COMMISSION", "-0.1", time: 1_000, tranId: 1), Self.row("ATOMUSDT", "COMMISSION", "-0.1", time: 1_000, tranId: 2)]),
            Self.page([Self.row("ATOMUSDT", "COMMISSION", "-0.1", time: 1_000, tranId: 1), Self.row("ATOMUSDT", "COMMISSION", "-0.1", time: 1_000, tranId: 2)]),
            Self.page([Self.row("ATOMUSDT", "COMMISSION", "-0.1", time: 1_500, tranId: 3)]),
        ])
        let history = try await rest.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000), pageLimit: 2, pause: { _ in })
        #expect(history.rows.map(\.transactionID) == [1, 2, 3])
        #expect(history.crowdedMilliseconds == [Timestamp(milliseconds: 1_000)])
        #expect(history.requests == 3)
    }

    @Test func a429WaitsTheVenuesRetryAfterThenContinues() async throws {
        let (rest, transport, clock) = Self.rest([
            failure(429, code: -1003, "Too many requests; current limit is 2400 requests per minute.", headers: [("Retry-After", "7")]),
            Self.page([Self.row("ATOMUSDT", "REALIZED_PNL", "1", time: 1_000, tranId: 1)]),
        ])
        let pauses = PauseRecorder()
        let history = try await rest.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000),
                                                   pause: { pauses.record($0); clock.advance(by: $0) })
        #expect(pauses.recorded == [.seconds(7)])
        #expect(history.rows.count == 1 && history.retries == 1 && transport.requests.count == 2)
    }

    @Test func a429WithALongBanIsThrownNotWaited() async throws {
        let (rest, transport, _) = Self.rest([failure(429, code: -1003, "Too many requests", headers: [("Retry-After", "600")])])
        let error = await #expect(throws: ExecutionError.self) {
            _ = try await rest.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000), pause: { _ in Issue.record("no pause") })
        }
        guard case .rateLimited = error?.kind else { Issue.record("expected rate limited, got \(String(describing: error))"); return }
        #expect(transport.requests.count == 1)
    }

    @Test func a5xxIsRetriedWithBackOffAndThrownAfterTheLastAttempt() async throws {
        let (rest, transport, _) = Self.rest([
            failure(503, code: -1001, "Service Unavailable."),
            Self.page([Self.row("ATOMUSDT", "REALIZED_PNL", "1", time: 1_000, tranId: 1)]),
        ])
        let pauses = PauseRecorder()
        let history = try await rest.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000), pause: { pauses.record($0) })
        #expect(history.rows.count == 1 && pauses.recorded == [.seconds(1)] && transport.requests.count == 2)

        let (down, downTransport, _) = Self.rest(Array(repeating: failure(500, code: -1000, "An unknown error occured while processing the request."), count: 5))
        let downPauses = PauseRecorder()
        let error = await #expect(throws: ExecutionError.self) {
            _ = try await down.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000), pause: { downPauses.record($0) })
        }
        #expect(error?.kind == .transient)
        #expect(downTransport.requests.count == 3 && downPauses.recorded == [.seconds(1), .seconds(2)])
    }

    @Test func badKeysAreThrownAtOnce() async throws {
        let (rest, transport, _) = Self.rest([failure(401, code: -2015, "Invalid API-key, IP, or permissions for action.")])
        let error = await #expect(throws: ExecutionError.self) {
            _ = try await rest.incomeHistory(start: Timestamp(milliseconds: 0), end: Timestamp(milliseconds: 9_000), pause: { _ in Issue.record("no pause") })
        }
        #expect(error?.kind == .configuration && error?.code == -2015 && transport.requests.count == 1)
    }
}
