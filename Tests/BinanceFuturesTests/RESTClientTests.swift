import BinanceFutures
import Logging
import Testing
import TradingEngine
import TradingModel

@Suite("REST client")
struct RESTClientTests {
    let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))

    func client(_ transport: ScriptedTransport) -> BinanceRESTClient {
        BinanceRESTClient(transport: transport, credentials: BinanceCredentials(apiKey: testAPIKey, hmacSecret: testSecret),
                          clock: clock, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// -1021 → GET /fapi/v1/time → the same call again with a corrected timestamp and a new signature; once only.
    @Test func timestampErrorResyncsAndRetriesOnce() async throws {
        let transport = ScriptedTransport([
            failure(400, code: -1021, "Timestamp for this request is outside of the recvWindow."),
            ok(#"{"serverTime":1700000003000}"#),
            ok(#"{"dualSidePosition":false}"#),
        ])
        let rest = client(transport)
        _ = try await rest.send(.get, "/fapi/v1/positionSide/dual", security: .signed)
        let requests = transport.requests
        #expect(requests.map(\.path) == ["/fapi/v1/positionSide/dual", "/fapi/v1/time", "/fapi/v1/positionSide/dual"])
        // offset = 1700000003000 − 1700000000000 (clock did not move) = +3000 ms
        #expect(rest.serverOffsetMilliseconds == 3000)
        #expect(parameter("timestamp", in: requests[0]) == "1700000000000")
        #expect(parameter("timestamp", in: requests[2]) == "1700000003000")
        #expect(parameter("signature", in: requests[0]) != parameter("signature", in: requests[2]))
    }

    @Test func timestampErrorTwiceIsNotRetriedAgain() async throws {
        let transport = ScriptedTransport([
            failure(400, code: -1021, "Timestamp for this request is outside of the recvWindow."),
            ok(#"{"serverTime":1700000003000}"#),
            failure(400, code: -1021, "Timestamp for this request is outside of the recvWindow."),
            ok(#"{"never":"used"}"#),
        ])
        let rest = client(transport)
        await #expect(throws: ExecutionError(.transient, code: -1021, message: "Timestamp for this request is outside of the recvWindow.")) {
            _ = try await rest.send(.get, "/fapi/v3/account", security: .signed)
        }
        #expect(transport.requests.count == 3 && transport.remaining == 1)
    }

    /// 429 with Retry-After: 3 → rateLimited(retryAfter: 3 s), and nothing is sent during the back-off.
    @Test func tooManyRequestsHonoursRetryAfter() async throws {
        let transport = ScriptedTransport([
            failure(429, code: -1003, "Too many requests; current limit is 2400 request weight per 1 MINUTE.", headers: [("Retry-After", "3")]),
            ok(#"{"serverTime":1}"#),
        ])
        let rest = client(transport)
        do {
            _ = try await rest.send(.get, "/fapi/v1/openOrders", security: .signed)
            Issue.record("expected a rate-limit error")
        } catch {
            #expect(error.kind == .rateLimited(retryAfter: .seconds(3)) && error.code == -1003)
        }
        clock.advance(by: .seconds(1))
        do {
            _ = try await rest.send(.get, "/fapi/v1/time", security: .none)
            Issue.record("sent during back-off")
        } catch {
            #expect(error.kind == .rateLimited(retryAfter: .seconds(2)))
        }
        #expect(transport.requests.count == 1)
        clock.advance(by: .seconds(2))
        _ = try await rest.send(.get, "/fapi/v1/time", security: .none)
        #expect(transport.requests.count == 2)
    }

    /// 418 with "banned until <ms>": silent until the ban ends, whatever Retry-After says.
    @Test func banUntilTimeIsHonoured() async throws {
        // ban ends 1700000120000 = now + 120 s
        let transport = ScriptedTransport([
            failure(418, code: -1003, "Way too many requests; IP(***) banned until 1700000120000. Please use the websocket.", headers: [("Retry-After", "5")]),
        ])
        let rest = client(transport)
        do {
            _ = try await rest.send(.get, "/fapi/v1/depth", security: .none)
            Issue.record("expected a ban")
        } catch {
            #expect(error.kind == .rateLimited(retryAfter: .seconds(120)))
        }
        #expect(rest.rateLimits.bannedUntil == Timestamp(milliseconds: 1_700_000_120_000))
    }

    /// -1015 without Retry-After: silent until the next minute window (1700000040000 − 1700000000000 = 40 s).
    @Test func orderCountLimitFallsBackToTheMinuteReset() async throws {
        let transport = ScriptedTransport([failure(400, code: -1015, "Too many new orders; current limit is 1200 orders per MINUTE.")])
        let rest = client(transport)
        do {
            _ = try await rest.send(.post, "/fapi/v1/order", security: .signed)
            Issue.record("expected a rate-limit error")
        } catch {
            #expect(error.kind == .rateLimited(retryAfter: .seconds(40)))
        }
    }

    @Test func usageHeadersAreTracked() async throws {
        let transport = ScriptedTransport([
            ok(#"{"serverTime":1700000000000}"#, headers: [("x-mbx-used-weight-1m", "2400"), ("X-MBX-ORDER-COUNT-10S", "3"), ("X-MBX-ORDER-COUNT-1M", "17")]),
        ])
        let rest = client(transport)
        _ = try await rest.send(.get, "/fapi/v1/time", security: .none)
        let limits = rest.rateLimits
        #expect(limits.usedWeight(at: clock.now) == 2400 && limits.orderCounts(at: clock.now) == (3, 17))
        // weight used up (2400 of 2400): a read waits for the next minute window, 1700000040000 − 1700000000000 = 40 s
        #expect(limits.wait(for: RequestCost(weight: 1), at: clock.now) == .seconds(40))
        // ... and in that window the usage is gone.
        #expect(limits.usedWeight(at: Timestamp(milliseconds: 1_700_000_040_000)) == 0)
        #expect(limits.wait(for: RequestCost(weight: 1), at: Timestamp(milliseconds: 1_700_000_040_000)) == nil)
    }

    @Test func transportFailuresAreClassifiedByMethod() async throws {
        let transport = ScriptedTransport([.failure(.timedOut), .failure(.timedOut), .failure(.notSent("connection refused"))])
        let rest = client(transport)
        var kinds: [ExecutionErrorKind] = []
        for method in [HTTPMethod.get, .post, .post] {
            do { _ = try await rest.send(method, "/fapi/v1/order", security: .signed) } catch { kinds.append(error.kind) }
        }
        // timeout on a read: retry; timeout on a write: unknown outcome; never sent: retry
        #expect(kinds == [.transient, .unknownStatus, .transient])
    }
}
