import Foundation
import Mustache

/// Renders the console's pages with swift-mustache: a body template into the layout. Contexts
/// are dictionaries of display strings built from the view models.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    /// Seconds between automatic reloads of the overview (nil: none).
    let refreshSeconds: Int?

    public init(refresh: Duration) {
        var library = MustacheLibrary()
        // The templates are constants of this module: a parse error is a programming error caught by every page test.
        for (name, text) in [("layout", PageTemplates.layout), ("login", PageTemplates.login), ("overview", PageTemplates.overview),
                             ("confirm", PageTemplates.confirm), ("outcome", PageTemplates.outcome), ("message", PageTemplates.message)] {
            if let template = try? MustacheTemplate(string: text) { library.register(template, named: name) }
        }
        self.library = library
        let seconds = refresh.components.seconds
        refreshSeconds = seconds > 0 ? Int(seconds) : nil
    }

    /// The stylesheet's text, exactly as the pages embed it (its hash is in the CSP).
    public static var styleSheet: String { PageTemplates.style }

    func page(title: String, session: String, csrf: String?, refresh: Bool, template: String, context: [String: Any]) -> String {
        let body = library.render(context, withTemplate: template) ?? ""
        var layout: [String: Any] = ["title": title, "session": session, "style": PageTemplates.style, "body": body]
        if let csrf { layout["csrf"] = csrf }
        if refresh, let refreshSeconds { layout["refresh"] = String(refreshSeconds) }
        return library.render(layout, withTemplate: "layout") ?? body
    }

    func login(message: String?, loginCSRF: String) -> String {
        var context: [String: Any] = ["loginCSRF": loginCSRF]
        if let message { context["message"] = message }
        return page(title: "Log in", session: "", csrf: nil, refresh: false, template: "login", context: context)
    }

    func message(heading: String, detail: String, session: String, csrf: String?) -> String {
        page(title: heading, session: session, csrf: csrf, refresh: false, template: "message", context: ["heading": heading, "detail": detail])
    }

    func confirm(heading: String, question: String, details: [String], action: String, symbol: String?, needsReason: Bool, button: String,
                 session: String, csrf: String) -> String {
        var context: [String: Any] = ["heading": heading, "question": question, "details": details, "action": action, "csrf": csrf,
                                      "needsReason": needsReason, "button": button]
        if let symbol { context["symbol"] = symbol }
        return page(title: heading, session: session, csrf: csrf, refresh: false, template: "confirm", context: context)
    }

    func outcome(_ outcome: ActionOutcome, heading: String, session: String, csrf: String?) -> String {
        let stateClass = switch outcome.state { case .done: "ok"; case .failed: "error"; case .pending: "warn" }
        let context: [String: Any] = ["heading": heading, "state": outcome.state.rawValue, "detail": outcome.detail, "stateClass": stateClass,
                                      "pending": outcome.state == .pending]
        let html = page(title: heading, session: session, csrf: csrf, refresh: false, template: "outcome", context: context)
        // A pending close request is looked at again in a few seconds (meta refresh, no script).
        guard outcome.state == .pending, let id = outcome.requestID else { return html }
        return html.replacingFirst("<head>", with: "<head>\n<meta http-equiv=\"refresh\" content=\"2;url=/requests/\(id)\">")
    }

    /// Everything the overview shows; a section whose data could not be read shows the reason instead.
    struct Overview {
        var session: SessionInfo
        var positions: Result<[PositionRow], DashboardError>
        var risk: Result<RiskView, DashboardError>
        var signals: Result<[SignalRow], DashboardError>
        var trades: Result<[TradeRow], DashboardError>
        var alerts: Result<[AlertRow], DashboardError>
        var equity: Result<[EquityPoint], DashboardError>
        var runs: Result<[RunRow], DashboardError>
        var model: ModelView?
    }

    func overview(_ data: Overview, csrf: String) -> String {
        var problems: [String] = []
        func value<T>(_ result: Result<T, DashboardError>, _ fallback: T) -> T {
            switch result {
            case .success(let value): return value
            case .failure(let error):
                problems.append(error.message)
                return fallback
            }
        }
        let positions = value(data.positions, [])
        let risk = value(data.risk.map { Optional($0) }, nil)
        let signals = value(data.signals, [])
        let trades = value(data.trades, [])
        let alerts = value(data.alerts, [])
        let equity = value(data.equity, [])
        let runs = value(data.runs, [])
        let unprotected = positions.filter(\.unprotected).count
        var context: [String: Any] = [
            "problems": problems,
            "positionCount": positions.count, "hasPositions": !positions.isEmpty, "positions": positions.map(Self.position),
            "hasUnprotected": unprotected > 0, "unprotectedCount": unprotected,
            "chart": EquityChart.svg(equity),
            "equityLine": "Equity \(data.session.equity ?? "—") USDT, wallet \(data.session.walletBalance ?? "—") USDT"
                + (equity.last.map { ", drawdown \($0.drawdown) USDT (latest sample \($0.time))" } ?? ""),
            "hasSignals": !signals.isEmpty, "signals": signals.map(Self.signal),
            "hasTrades": !trades.isEmpty, "trades": trades.enumerated().map { Self.trade($0.element, index: $0.offset) },
            "hasAlerts": !alerts.isEmpty, "alerts": alerts.map(Self.alert),
            "hasRuns": !runs.isEmpty, "runs": runs.map(Self.run),
        ]
        if let risk { context["risk"] = Self.risk(risk) }
        if let model = data.model {
            var modelContext: [String: Any] = ["name": model.name, "detail": model.detail, "hasFigures": !model.figures.isEmpty,
                                               "figures": model.figures.map { ["name": $0.name, "value": $0.value] }]
            if let verdict = model.verdict { modelContext["verdict"] = verdict }
            context["model"] = modelContext
        }
        return page(title: "Console", session: data.session.label, csrf: csrf, refresh: true, template: "overview", context: context)
    }

    static func position(_ row: PositionRow) -> [String: Any] {
        let protection: String
        if let problem = row.problem {
            protection = "PROBLEM: \(problem)"
        } else if row.unprotected {
            protection = row.exitOwner == nil ? "UNPROTECTED: no exit owner" : row.stopPrice == nil ? "UNPROTECTED: no stop" : "UNPROTECTED: no backstop resting"
        } else if row.stale {
            protection = "STALE: no price event for \(DisplayFormat.age(row.lastPriceEventAgeSeconds))"
        } else {
            protection = "protected"
        }
        return [
            "symbol": row.symbol, "side": row.side, "quantity": row.quantity, "entryPrice": row.entryPrice, "markPrice": row.markPrice ?? "—",
            "stopPrice": row.stopPrice ?? "NONE", "targets": row.targetPrices.isEmpty ? "—" : row.targetPrices.joined(separator: ", "),
            "priceMove": DisplayFormat.percent(row.priceMovePct), "roe": DisplayFormat.percent(row.roePct) + (row.leverage.map { " at \($0)x" } ?? ""),
            "moveClass": DisplayFormat.signClass(row.priceMovePct), "unrealizedPnl": row.unrealizedPnl ?? "—",
            "liquidationPrice": row.liquidationPrice ?? "—", "exitOwner": row.exitOwner ?? "NONE",
            "backstop": row.backstopPrice.map { "\($0) resting" } ?? "NONE",
            "lastPriceEvent": row.lastPriceEventAt.map { "\($0) (\(DisplayFormat.age(row.lastPriceEventAgeSeconds)) ago)" } ?? "—",
            "protection": protection, "rowClass": row.unprotected || row.problem != nil ? "unprotected" : row.stale ? "stale" : "protected",
        ]
    }

    static func risk(_ risk: RiskView) -> [String: Any] {
        var context: [String: Any] = [
            "manualState": risk.manualState, "manualDetail": risk.manualDetail.map { "(\($0))" } ?? "",
            "manualClass": risk.manualState == "HALTED" ? "halted" : "active", "hasEvents": !risk.events.isEmpty,
            "events": risk.events.reversed().map { ["time": $0.time, "run": $0.runID.map(String.init) ?? "account", "state": $0.state, "cause": $0.cause,
                                                    "detail": $0.detail] },
        ]
        if let engine = risk.engineState { context["engineState"] = engine }
        if let held = risk.entriesHeldReason { context["entriesHeldReason"] = held }
        return context
    }

    static func signal(_ row: SignalRow) -> [String: Any] {
        ["time": row.time, "symbol": row.symbol, "side": row.side, "confidence": DisplayFormat.fraction(row.confidence.map { $0 * 100 }),
         "source": row.source, "decision": row.approved ? "approved" + (row.quantity.map { " \($0)" } ?? "") : "rejected",
         "decisionClass": row.approved ? "approved" : "rejected", "reasons": row.reasons]
    }

    static func trade(_ row: TradeRow, index: Int) -> [String: Any] {
        ["index": index, "runID": row.runID, "symbol": row.symbol, "side": row.side, "quantity": row.quantity, "entryPrice": row.entryPrice,
         "exitPrice": row.exitPrice, "exitReason": row.exitReason, "priceMove": DisplayFormat.percent(row.priceMovePct), "fees": row.fees,
         "netPnl": row.netPnl, "pnlClass": DisplayFormat.signClass(row.netPnl), "exitTime": row.exitTime]
    }

    static func alert(_ row: AlertRow) -> [String: Any] {
        ["time": row.time, "severity": row.severity, "kind": row.kind, "symbol": row.symbol ?? "", "message": row.message,
         "severityClass": row.severity.lowercased()]
    }

    static func run(_ row: RunRow) -> [String: Any] {
        ["id": row.id, "kind": row.kind, "detail": row.detail, "startedAt": row.startedAt, "finishedAt": row.finishedAt ?? "running or stopped",
         "trades": row.trades, "netPnl": row.netPnl, "configHash": row.configHash]
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
