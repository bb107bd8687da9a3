import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TradingModel

@Suite("Dashboard actions: confirmation, CSRF, effect, audit, outcome")
struct DashboardActionTests {
    static let actions: [(path: String, fields: [(String, String)])] = [
        ("/actions/close", [("symbol", "ATOMUSDT")]), ("/actions/close-all", []), ("/actions/halt", [("reason", "news")]),
        ("/actions/resume", [("reason", "calm")]),
    ]

    @Test("each action's form without its CSRF token (or with a wrong one) answers 403 and does nothing")
    func formsWithoutCSRFAreRefused() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, _) = try await logIn(client)
            for (path, fields) in Self.actions {
                for extra in [[], [("csrf", "token-999")]] {
                    let response = try await client.execute(uri: path, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                            body: formBody(fields + extra))
                    #expect(response.status == .forbidden, "\(path) \(extra) answered \(response.status)")
                    #expect(response.text.contains("nothing was done"))
                }
            }
        }
        #expect(fixture.session.with { $0.closeCalls.isEmpty && $0.halted == nil && $0.positions.count == 2 })
        #expect(fixture.session.with { $0.audit.filter { $0.outcome == "refused (403): nothing done" }.count } == 8)
    }

    @Test("close: the confirmation page changes nothing; confirming closes through the control, shows done, the trade is listed, the actor is recorded")
    func closeWithConfirmation() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, csrf) = try await logIn(client)
            let confirm = try await client.execute(uri: "/confirm/close?symbol=ATOMUSDT", method: .get, headers: [.cookie: cookie])
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Close the whole ATOMUSDT position at market, reduce-only"))
            #expect(confirm.text.contains("SHORT 446.03 @ 2.224, mark 2.23, stop 2.250688"))
            #expect(confirm.text.hiddenValue("csrf") == csrf)
            #expect(fixture.session.with { $0.closeCalls.isEmpty })

            let done = try await client.execute(uri: "/actions/close", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                body: formBody([("csrf", csrf), ("symbol", "ATOMUSDT")]))
            #expect(done.status == .ok)
            #expect(done.text.contains("<strong>done</strong>: closed by the exit owner (reduce-only market): ATOMUSDT"))
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(!page.text.contains("id=\"position-ATOMUSDT\""))
            #expect(page.text.contains("id=\"trade-0\""))
            #expect(page.text.contains("<td>manual</td>"))
        }
        let calls = fixture.session.with { $0.closeCalls }
        #expect(calls.count == 1 && calls.first?.0 == "ATOMUSDT")
        #expect(calls.first?.1.hasPrefix("admin from ") == true)
        let audit = try #require(fixture.session.with { $0.audit.last })
        #expect(audit.text == "close ATOMUSDT" && audit.authorized && audit.outcome.hasPrefix("close request 1 done: "))
    }

    @Test("close of a symbol with no position shows failed with the reason; a malformed symbol is refused")
    func closeFailureIsShown() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, csrf) = try await logIn(client)
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let failed = try await client.execute(uri: "/actions/close", method: .post, headers: headers, body: formBody([("csrf", csrf), ("symbol", "BTCUSDT")]))
            #expect(failed.text.contains("<strong>failed</strong>: no open BTCUSDT position"))
            let malformed = try await client.execute(uri: "/actions/close", method: .post, headers: headers, body: formBody([("csrf", csrf), ("symbol", "<b>")]))
            #expect(malformed.text.contains("<strong>failed</strong>: not a symbol: &#39;&lt;b&gt;&#39;") || malformed.text.contains("not a symbol: &apos;&lt;b&gt;&apos;")
                    || malformed.text.contains("not a symbol: '&lt;b&gt;'"))
        }
        #expect(fixture.session.with { $0.closeCalls.count } == 1)
    }

    @Test("close all, halt (reason required) and resume act and are audited with who did it")
    func closeAllHaltResume() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, csrf) = try await logIn(client)
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let noReason = try await client.execute(uri: "/actions/halt", method: .post, headers: headers, body: formBody([("csrf", csrf), ("reason", "  ")]))
            #expect(noReason.text.contains("<strong>failed</strong>: say why"))
            #expect(fixture.session.with { $0.halted } == nil)
            let halt = try await client.execute(uri: "/actions/halt", method: .post, headers: headers, body: formBody([("csrf", csrf), ("reason", "FOMC")]))
            #expect(halt.text.contains("<strong>done</strong>"))
            #expect(fixture.session.with { $0.halted }?.hasSuffix(": FOMC") == true)
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(page.text.contains("<strong class=\"halted\">HALTED</strong>"))
            _ = try await client.execute(uri: "/actions/resume", method: .post, headers: headers, body: formBody([("csrf", csrf), ("reason", "calm")]))
            #expect(fixture.session.with { $0.halted } == nil)
            let all = try await client.execute(uri: "/actions/close-all", method: .post, headers: headers, body: formBody([("csrf", csrf)]))
            #expect(all.text.contains("ATOMUSDT, LINKUSDT"))
            #expect(fixture.session.with { $0.positions.isEmpty && $0.trades.count == 2 })
        }
        let texts = fixture.session.with { $0.audit.filter(\.authorized).map(\.text) }
        #expect(texts == ["login", "halt: FOMC", "resume: calm", "close all"] || texts == ["login", "halt:   ", "halt: FOMC", "resume: calm", "close all"])
    }

    @Test("API actions: close with wait answers 200 done, without wait 202 pending with the request id (pollable), a failed close 409; halt needs a JSON reason")
    func apiActions() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let pending = try await client.execute(uri: "/api/v1/positions/LINKUSDT/close", method: .post, headers: bearer)
            #expect(pending.status == .accepted)
            #expect(pending.text.contains("\"state\":\"pending\"") && pending.text.contains("\"request_id\":1"))
            let poll = try await client.execute(uri: "/api/v1/requests/1", method: .get, headers: bearer)
            #expect(poll.status == .ok && poll.text.contains("\"request_id\":1"))
            let done = try await client.execute(uri: "/api/v1/positions/ATOMUSDT/close?wait=5", method: .post, headers: bearer)
            #expect(done.status == .ok && done.text.contains("\"state\":\"done\""))
            let failed = try await client.execute(uri: "/api/v1/positions/BTCUSDT/close?wait=5", method: .post, headers: bearer)
            #expect(failed.status == .conflict && failed.text.contains("\"state\":\"failed\"") && failed.text.contains("no open BTCUSDT position"))
            #expect(try await client.execute(uri: "/api/v1/positions/atom-usdt/close", method: .post, headers: bearer).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/positions/ATOMUSDT/close?wait=99", method: .post, headers: bearer).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/halt", method: .post, headers: bearer, body: ByteBuffer(string: "{}")).status == .badRequest)
            var json = bearer
            json[.contentType] = "application/json"
            let halt = try await client.execute(uri: "/api/v1/halt", method: .post, headers: json, body: ByteBuffer(string: "{\"reason\":\"maintenance\"}"))
            #expect(halt.status == .ok && halt.text.contains("\"action\":\"halt\""))
            #expect(try await client.execute(uri: "/api/v1/requests/99", method: .get, headers: bearer).status == .notFound)
        }
        #expect(fixture.session.with { $0.halted }?.hasPrefix("by API token from ") == true)
        #expect(fixture.session.with { $0.audit.map(\.text) } == ["close LINKUSDT", "close ATOMUSDT", "close BTCUSDT", "halt: maintenance"])
    }

    @Test("bad bodies: over 16 KiB is refused 413, malformed JSON or a form with broken escapes 400/failed; nothing is done")
    func badBodiesAreRefused() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let huge = ByteBuffer(string: "{\"reason\":\"" + String(repeating: "x", count: 20_000) + "\"}")
            var json = bearer
            json[.contentType] = "application/json"
            let oversized = try await client.execute(uri: "/api/v1/halt", method: .post, headers: json, body: huge)
            #expect(oversized.status == .contentTooLarge, "\(oversized.status)")
            let malformed = try await client.execute(uri: "/api/v1/halt", method: .post, headers: json, body: ByteBuffer(string: "{\"reason\": "))
            #expect(malformed.status == .badRequest && malformed.text.contains("\"error\""))
            let notJSON = try await client.execute(uri: "/api/v1/resume", method: .post, headers: json, body: ByteBuffer(bytes: [0xff, 0xfe, 0x00]))
            #expect(notJSON.status == .badRequest)

            let (cookie, csrf) = try await logIn(client)
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let bigForm = try await client.execute(uri: "/actions/close", method: .post, headers: form,
                                                   body: ByteBuffer(string: "csrf=\(csrf)&symbol=ATOMUSDT&pad=" + String(repeating: "x", count: 20_000)))
            #expect(bigForm.status == .contentTooLarge, "\(bigForm.status)")
            let broken = try await client.execute(uri: "/actions/close", method: .post, headers: form, body: ByteBuffer(string: "csrf=\(csrf)&symbol=%ZZ"))
            #expect(broken.text.contains("<strong>failed</strong>: not a symbol"))
        }
        #expect(fixture.session.with { $0.closeCalls.isEmpty && $0.halted == nil && $0.positions.count == 2 })
    }

    @Test("close all, halt and resume each ask first: the confirmation page posts to its action with the CSRF token and changes nothing")
    func confirmationPagesChangeNothing() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let (cookie, csrf) = try await logIn(client)
            for (page, action, needsReason) in [("/confirm/close-all", "/actions/close-all", false), ("/confirm/halt", "/actions/halt", true),
                                                ("/confirm/resume", "/actions/resume", true)] {
                let response = try await client.execute(uri: page, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .ok, "\(page)")
                #expect(response.text.contains("<form method=\"post\" action=\"\(action)\">"), "\(page)")
                #expect(response.text.hiddenValue("csrf") == csrf, "\(page)")
                #expect(response.text.contains("name=\"reason\"") == needsReason, "\(page)")
            }
        }
        #expect(fixture.session.with { $0.closeCalls.isEmpty && $0.halted == nil && $0.positions.count == 2 && $0.audit.map(\.text) == ["login"] })
    }
}
