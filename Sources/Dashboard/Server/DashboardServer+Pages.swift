import Hummingbird
import TradingModel

extension DashboardServer {
    /// Wraps a page handler: an anonymous request gets the login form with 401.
    func page(_ handler: @escaping @Sendable (Request, DashboardContext, DashboardIdentity) async throws -> Response)
        -> @Sendable (Request, DashboardContext) async throws -> Response
    {
        { request, context in
            guard let identity = context.identity else { return loginPage(status: .unauthorized, message: nil) }
            return try await handler(request, context, identity)
        }
    }

    /// The overview (GET /) and the confirmation pages of the actions (GET, nothing changes).
    func addPageRoutes(_ router: Router<DashboardContext>) {
        router.get("/", use: page { _, _, identity in
            let overview = await collectOverview()
            return Self.html(renderer.overview(overview, csrf: identity.csrf ?? ""))
        })
        router.get("/confirm/close", use: page { request, _, identity in
            guard let csrf = identity.csrf else { return formsNeedLogin() }
            let label = await source.session().label
            guard let text = request.uri.queryParameters["symbol"].map(String.init), let symbol = Symbol(text) else {
                return Self.html(renderer.message(heading: "Close", detail: "name a symbol to close (…/confirm/close?symbol=ATOMUSDT)",
                                                  session: label, csrf: csrf), status: .badRequest)
            }
            let row = (try? await source.positions())?.first { $0.symbol == symbol.name }
            var details = ["No open \(symbol) position is shown; the session will say so."]
            if let row {
                let mark = row.markPrice ?? "—"
                let stop = row.stopPrice ?? "NONE"
                let pnl = row.unrealizedPnl ?? "—"
                details = ["\(row.side) \(row.quantity) @ \(row.entryPrice), mark \(mark), stop \(stop), unrealised PnL \(pnl) USDT"]
            }
            return Self.html(renderer.confirm(heading: "Close \(symbol)", question: "Close the whole \(symbol) position at market, reduce-only, "
                                              + "through its exit owner?", details: details, action: "/actions/close", symbol: symbol.name,
                                              needsReason: false, button: "Confirm close of \(symbol)", session: label, csrf: csrf))
        })
        router.get("/confirm/close-all", use: page { _, _, identity in
            guard let csrf = identity.csrf else { return formsNeedLogin() }
            let label = await source.session().label
            let positions = (try? await source.positions()) ?? []
            let details = positions.isEmpty ? ["No open positions are shown."] : positions.map { "\($0.symbol) \($0.side) \($0.quantity) @ \($0.entryPrice)" }
            return Self.html(renderer.confirm(heading: "Close all", question: "Close every open position at market, reduce-only, through its exit owner?",
                                              details: details, action: "/actions/close-all", symbol: nil, needsReason: false,
                                              button: "Confirm close of all positions", session: label, csrf: csrf))
        })
        for (path, halt) in [("/confirm/halt", true), ("/confirm/resume", false)] {
            router.get(RouterPath(path), use: page { _, _, identity in
                guard let csrf = identity.csrf else { return formsNeedLogin() }
                let label = await source.session().label
                return Self.html(renderer.confirm(
                    heading: halt ? "Halt entries" : "Resume entries",
                    question: halt ? "Refuse every new entry until resumed? Open positions keep their exits."
                        : "Allow new entries again?",
                    details: [], action: halt ? "/actions/halt" : "/actions/resume", symbol: nil, needsReason: true,
                    button: halt ? "Confirm halt" : "Confirm resume", session: label, csrf: csrf))
            })
        }
        router.get("/requests/{id}", use: page { _, context, identity in
            let label = await source.session().label
            guard let id = context.parameters.get("id", as: Int64.self) else {
                return Self.html(renderer.message(heading: "Close request", detail: "not a request id", session: label, csrf: identity.csrf), status: .badRequest)
            }
            do throws(DashboardError) {
                guard let outcome = try await control.closeRequest(id: id) else {
                    return Self.html(renderer.message(heading: "Close request \(id)", detail: "no such request", session: label, csrf: identity.csrf),
                                     status: .notFound)
                }
                return Self.html(renderer.outcome(outcome, heading: "Close request \(id)", session: label, csrf: identity.csrf))
            } catch {
                return Self.html(renderer.message(heading: "Close request \(id)", detail: error.message, session: label, csrf: identity.csrf),
                                 status: .serviceUnavailable)
            }
        })
    }

    func formsNeedLogin() -> Response {
        Self.html(renderer.message(heading: "Log in to act", detail: "The buttons need a login with the password (a bearer token acts through the API).",
                                   session: "", csrf: nil), status: .forbidden)
    }

    func collectOverview() async -> PageRenderer.Overview {
        async let session = source.session()
        async let positions = capture { () throws(DashboardError) in try await source.positions() }
        async let risk = capture { () throws(DashboardError) in try await source.risk() }
        async let signals = capture { () throws(DashboardError) in try await source.signals(limit: 20) }
        async let trades = capture { () throws(DashboardError) in try await source.trades(limit: 20) }
        async let alerts = capture { () throws(DashboardError) in try await source.alerts(limit: 20) }
        async let equity = capture { () throws(DashboardError) in try await source.equity(limit: 2000) }
        async let runs = capture { () throws(DashboardError) in try await source.runs(limit: 10) }
        async let model = source.model()
        return await PageRenderer.Overview(session: session, positions: positions, risk: risk, signals: signals, trades: trades, alerts: alerts,
                                           equity: equity, runs: runs, model: model)
    }
}

func capture<T: Sendable>(_ body: @Sendable () async throws(DashboardError) -> T) async -> Result<T, DashboardError> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
