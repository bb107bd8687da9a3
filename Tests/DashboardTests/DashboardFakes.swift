import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import TradingEngine
import TradingModel

/// A small session the fakes share: positions that a close removes (becoming trades), the
/// manual risk state, close requests by id. Lock-protected (`@unchecked Sendable`).
final class FakeSession: @unchecked Sendable {
    private let lock = NSLock()
    var positions: [PositionRow] = [
        PositionRow(runID: 1, symbol: "ATOMUSDT", side: "SHORT", quantity: "446.03", entryPrice: "2.224", markPrice: "2.23", stopPrice: "2.250688",
                    targetPrices: ["2.2"], priceMovePct: -0.27, roePct: -0.54, unrealizedPnl: "-2.67618", liquidationPrice: "3.3", leverage: 2,
                    exitOwner: "exit-executor", backstopPrice: "2.256", lastPriceEventAt: "2026-01-05T00:00:03.000Z", lastPriceEventAgeSeconds: 1),
        PositionRow(runID: 1, symbol: "LINKUSDT", side: "LONG", quantity: "10", entryPrice: "20", markPrice: "20.1", stopPrice: "19.7", targetPrices: [],
                    exitOwner: "exit-executor", backstopPrice: nil, stale: false, unprotected: true),
    ]
    var trades: [TradeRow] = []
    var halted: String?
    var requests: [Int64: ActionOutcome] = [:]
    var audit: [AuditEntry] = []
    var closeCalls: [(Symbol?, String)] = []
    var ready = true
    var storeFails = false

    func with<T>(_ body: (FakeSession) -> T) -> T { lock.withLock { body(self) } }
}

struct FakeSource: DashboardSource {
    let session: FakeSession
    func session() async -> SessionInfo {
        SessionInfo(label: "paper on the local venue (test)", inProcess: true, runID: 1, time: "2026-01-05T00:00:04.000Z", equity: "9997.3",
                    walletBalance: "10000")
    }
    func positions() async throws(DashboardError) -> [PositionRow] {
        if session.with({ $0.storeFails }) { throw DashboardError("the exit states cannot be read: disk I/O error") }
        return session.with { $0.positions }
    }
    func risk() async throws(DashboardError) -> RiskView {
        let halted = session.with { $0.halted }
        return RiskView(manualState: halted == nil ? "ACTIVE" : "HALTED", manualDetail: halted, engineState: "ACTIVE", entriesHeldReason: halted,
                        events: [RiskView.Event(time: "2026-01-05T00:00:00.000Z", runID: nil, state: "resumed", cause: "manual", detail: "by test: start")])
    }
    func signals(limit: Int) async throws(DashboardError) -> [SignalRow] {
        [SignalRow(runID: 1, time: "2026-01-05T00:00:01.000Z", symbol: "ATOMUSDT", side: "SHORT", confidence: 0.72, source: "ml-ensemble@abc",
                   approved: false, reasons: ["confidenceBelowThreshold(0.72, required: 0.80)", "againstTrend(1h: up)"], quantity: nil, leverage: nil)]
    }
    func trades(limit: Int) async throws(DashboardError) -> [TradeRow] { Array(session.with { $0.trades }.prefix(limit)) }
    func alerts(limit: Int) async throws(DashboardError) -> [AlertRow] {
        [AlertRow(runID: 1, time: "2026-01-05T00:00:02.000Z", severity: "CRITICAL", kind: "alerts.stop_not_triggered", symbol: "ATOMUSDT",
                  message: "<script>alert(1)</script> stop should have triggered")]
    }
    func equity(limit: Int) async throws(DashboardError) -> [EquityPoint] {
        (0..<5).map { EquityPoint(time: "t\($0)", timeMilliseconds: Int64($0) * 60_000, equity: "\(10_000 - $0)", drawdown: "-\($0)") }
    }
    func runs(limit: Int) async throws(DashboardError) -> [RunRow] {
        [RunRow(id: 1, kind: "paper", startedAt: "2026-01-05T00:00:00.000Z", finishedAt: nil, detail: "ema-cross/validator/exit-engine test",
                configHash: "sha256:0", summary: nil, trades: 0, netPnl: "0")]
    }
    func model() async -> ModelView? {
        ModelView(name: "ml-ensemble@abc", detail: "test model", figures: [.init(name: "pooled accuracy", value: "51.2%")], verdict: "no tradeable edge")
    }
    func readiness() async -> Readiness {
        let ready = session.with { $0.ready }
        return Readiness(checks: [.init(name: "market_streams", ok: ready, detail: ready ? "in sync" : "a market-data stream reconnected"),
                                  .init(name: "store_writable", ok: true, detail: "ok")])
    }
}

struct FakeControl: DashboardControl {
    let session: FakeSession
    func close(symbol: Symbol?, by actor: String, wait: Duration) async -> ActionOutcome {
        session.with { session in
            session.closeCalls.append((symbol, actor))
            let id = Int64(session.requests.count + 1)
            let closing = session.positions.filter { symbol == nil || $0.symbol == symbol?.name }
            let outcome: ActionOutcome
            if closing.isEmpty {
                outcome = ActionOutcome(action: symbol == nil ? "close_all" : "close", state: .failed, detail: "no open \(symbol?.name ?? "") position", requestID: id)
            } else {
                session.positions.removeAll { symbol == nil || $0.symbol == symbol?.name }
                for row in closing {
                    session.trades.insert(TradeRow(runID: 1, symbol: row.symbol, side: row.side, quantity: row.quantity, entryTime: "t0", entryPrice: row.entryPrice,
                                                   exitTime: "t1", exitPrice: row.markPrice ?? row.entryPrice, exitReason: "manual", priceMovePct: -0.27,
                                                   fees: "0.1", funding: "0", netPnl: "-2.7", leverage: 2), at: 0)
                }
                outcome = ActionOutcome(action: symbol == nil ? "close_all" : "close", state: wait == .zero ? .pending : .done,
                                        detail: "closed by the exit owner (reduce-only market): \(closing.map(\.symbol).joined(separator: ", "))", requestID: id)
            }
            session.requests[id] = outcome
            return outcome
        }
    }
    func halt(reason: String, by actor: String) async -> ActionOutcome {
        session.with { $0.halted = "by \(actor): \(reason)" }
        return ActionOutcome(action: "halt", state: .done, detail: "HALTED by \(actor): \(reason)")
    }
    func resume(reason: String, by actor: String) async -> ActionOutcome {
        session.with { $0.halted = nil }
        return ActionOutcome(action: "resume", state: .done, detail: "ACTIVE by \(actor): \(reason)")
    }
    func closeRequest(id: Int64) async throws(DashboardError) -> ActionOutcome? { session.with { $0.requests[id] } }
    func record(_ entry: AuditEntry) { session.with { $0.audit.append(entry) } }
}

/// Deterministic tokens (`token-1`, `token-2`, …).
final class TokenCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func make() -> String { lock.withLock { next += 1; return "token-\(next)" } }
}

/// The console over the fakes, with a password and an API token hashed at bcrypt cost 4 (fast).
struct DashboardFixture {
    static let password = "correct horse battery"
    static let apiToken = "api-token-0123456789"
    static let passwordHash = Bcrypt.hash(password, cost: 4)
    static let tokenHash = Bcrypt.hash(apiToken, cost: 4)
    let session = FakeSession()
    let clock = ManualClock(Timestamp(milliseconds: 1_767_571_200_000))
    let server: DashboardServer

    init(settings: DashboardSettings = DashboardSettings(), credentials: DashboardCredentials? = nil) {
        let credentials = credentials ?? DashboardCredentials(user: "admin", passwordHash: Self.passwordHash, tokenHash: Self.tokenHash)
        let tokens = TokenCounter()
        server = DashboardServer(settings: settings, credentials: credentials, source: FakeSource(session: session), control: FakeControl(session: session),
                                 metrics: nil, environment: .init(clock: clock, makeToken: { tokens.make() },
                                                                  logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: server.router()).test(.router, body)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// `name=value` of a Set-Cookie header for `name`.
    func cookie(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }.map { String($0.prefix { $0 != ";" }) }
    }
    var setCookies: [String] { headers[values: .setCookie] }
}

extension String {
    /// The value of the first `<input … name="NAME" value="…">` in a page.
    func hiddenValue(_ name: String) -> String? {
        guard let range = range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(self[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// Logs in through the form; returns the session cookie and the page's CSRF token.
func logIn(_ client: some TestClientProtocol, password: String = DashboardFixture.password) async throws -> (cookie: String, csrf: String) {
    let loginForm = try await client.execute(uri: "/login", method: .get)
    let loginCookie = try #require(loginForm.cookie("qt_login"))
    let loginToken = try #require(loginForm.text.hiddenValue("login_csrf"))
    let response = try await client.execute(uri: "/login", method: .post,
                                            headers: [.cookie: loginCookie, .contentType: "application/x-www-form-urlencoded"],
                                            body: ByteBuffer(string: "login_csrf=\(loginToken)&password=\(password.replacingOccurrences(of: " ", with: "+"))"))
    #expect(response.status == .seeOther)
    let session = try #require(response.cookie("qt_session"))
    let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
    let csrf = try #require(page.text.hiddenValue("csrf"))
    return (session, csrf)
}

func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
let bearer: HTTPFields = [.authorization: "Bearer \(DashboardFixture.apiToken)"]
