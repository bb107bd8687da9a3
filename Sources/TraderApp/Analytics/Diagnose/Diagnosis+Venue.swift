import Backtest
import BinanceFutures
import Logging
import TradingEngine
import TradingModel

extension Diagnosis {
    /// `qt diagnose --venue`: reads the account behind `credentials` on `live` (`[live]` of the
    /// configuration) section by section, then diagnoses the store at `path` with the venue's
    /// mark prices and joins the two. A venue failure never throws: its section says why and
    /// `venue.snapshot.isComplete` is false. `transport` replaces the HTTP client (tests).
    public static func make(storePath path: String, options: DiagnoseOptions, live: LiveSettings, credentials: LiveCredentials,
                            clock: any TradingClock, transport: (any HTTPTransport)? = nil, logger: Logger = Logger(label: "qt.diagnose"),
                            pageLimit: Int = BinanceRESTClient.incomePageLimit,
                            pause: @escaping @Sendable (Duration) async -> Void) async throws(AnalyticsError) -> Diagnosis {
        let store: any TradeStore
        do { store = try TradeStoreFactory.openReadOnly(sqlitePath: path) } catch { throw AnalyticsError.store(path, error) }
        let rest = AnalyticsVenue.restClient(live: live, credentials: credentials, clock: clock, transport: transport, logger: logger)
        let client = BinanceExecutionClient(rest: rest, instruments: [], logger: logger, pause: pause)
        let snapshot = await VenueSnapshot.read(client: client, rest: rest, endpoint: live.restURL, store: store, storeName: path,
                                                pageLimit: pageLimit, pause: pause)
        return try diagnose(store: store, storeName: path, options: options, venue: snapshot)
    }

    /// The store's diagnosis joined with what the venue said (`snapshot`).
    public static func diagnose(store: any TradeStore, storeName: String, options: DiagnoseOptions,
                                venue snapshot: VenueSnapshot) throws(AnalyticsError) -> Diagnosis {
        var options = options
        // With the venue the diagnosis is of now (the venue's time), not of the store's last event:
        // an exit owner that went quiet before the store's last write is then seen as silent.
        if options.asOf == nil, let time = snapshot.readAt { options.asOf = time }
        if let rows = snapshot.positions.value, let time = snapshot.readAt {
            for row in rows { if let mark = row.markPrice { options.venueMarks[row.snapshot.symbol] = (mark, time) } }
        }
        var diagnosis = try Diagnosis(store: store, storeName: storeName, options: options)
        let liveRunIDs = Set(diagnosis.runs.filter { $0.kind == .live }.compactMap(\.id))
        let venue = VenueDiagnosis.join(snapshot, storePositions: diagnosis.positions.map(\.saved), liveRunIDs: liveRunIDs)
        diagnosis.venue = venue
        let (first, others) = venueFindings(venue)
        diagnosis.findings = first + (others + diagnosis.findings).enumerated()
            .sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
        return diagnosis
    }

    /// The venue's findings: positions unprotected on the venue (shown before every other
    /// finding), then the rest.
    static func venueFindings(_ venue: VenueDiagnosis) -> (first: [Finding], others: [Finding]) {
        var first: [Finding] = [], others: [Finding] = []
        let at = venue.snapshot.readAt.map { " at \($0)" } ?? ""
        for held in venue.held {
            let name = "\(held.row.snapshot.symbol) \(held.side.rawValue) \(held.quantity)"
            let figures = venueFiguresLine(held)
            let ownerLine = ownerText(held)
            if let covered = held.coveredQuantity, covered < held.quantity {
                let stops = held.stops ?? []
                first.append(Finding(
                    rule: "unprotected-on-venue", severity: .critical,
                    title: "\(name): " + (stops.isEmpty ? "no stop resting on the venue" : "the stops resting on the venue close only \(covered) of \(held.quantity)"),
                    evidence: ["the venue's open orders\(at): " + (stops.isEmpty ? "no reduce-only or close-position stop on the \(held.side == .long ? "SELL" : "BUY") side"
                                                                 : stops.map(stopText).joined(separator: "; ")),
                               figures, ownerLine]))
            }
            if held.owner == nil {
                others.append(Finding(rule: "foreign-position", severity: .warning,
                                      title: "\(name) is open on the venue and the store knows no exit owner for it (opened by hand or by another bot)",
                                      evidence: [figures, protectionText(held), "no live run in the store holds an open \(held.row.snapshot.symbol) position"]))
            } else if let owner = held.owner, owner.side != held.side || (owner.remainingQuantity.map { $0 != held.quantity } ?? false) {
                others.append(Finding(rule: "position-mismatch", severity: .warning,
                                      title: "\(held.row.snapshot.symbol): the venue holds \(held.side.rawValue) \(held.quantity), the store's owner \(owner.side?.rawValue ?? "?") \(owner.remainingQuantity.map { "\($0)" } ?? "?")",
                                      evidence: [figures, ownerLine]))
            }
        }
        for phantom in venue.phantoms {
            others.append(Finding(
                rule: "phantom-position", severity: .warning,
                title: "\(phantom.symbol) \(phantom.side?.rawValue ?? "?"): open in the store (run #\(phantom.runID)), not on the venue",
                evidence: ["saved by \(phantom.executor) of run #\(phantom.runID) at \(phantom.updatedAt): \(phantom.remainingQuantity.map { "\($0)" } ?? "?") @ \(phantom.entryPrice.map { "\($0)" } ?? "?")",
                           "the venue holds no \(phantom.symbol) position (GET /fapi/v3/positionRisk\(at))",
                           "closed outside the bot (by hand, a liquidation, a stop whose fill the store never saw)?"]))
        }
        let unread = venue.snapshot.unread
        if !unread.isEmpty {
            let protectionUnknown = venue.snapshot.positions.value == nil || venue.snapshot.orders.value == nil
            others.append(Finding(
                rule: "venue-unread", severity: protectionUnknown ? .critical : .warning,
                title: "the venue could not be read completely: " + unread.map(\.section).joined(separator: ", ")
                    + (protectionUnknown ? " (protection on the venue is not verified)" : ""),
                evidence: unread.map { "\($0.section): \($0.reason)" }))
        }
        if let config = venue.snapshot.config.value {
            if !config.canTrade {
                others.append(Finding(rule: "account-cannot-trade", severity: .critical, title: "the API keys may not trade: no stop can be placed or moved",
                                      evidence: ["GET /fapi/v1/accountConfig: canTrade = false"]))
            }
            if config.dualSidePosition {
                others.append(Finding(rule: "hedge-mode", severity: .warning, title: "the account is in hedge mode: the bot refuses to start",
                                      evidence: ["GET /fapi/v1/accountConfig: dualSidePosition = true", BinanceExecutionClient.hedgeModeRefusal]))
            }
        }
        if case .reconciled(let reconciliation, _, _, _, _)? = venue.snapshot.money?.value?.income, !reconciliation.unexplained.isZero {
            others.append(Finding(rule: "income-unexplained", severity: .warning,
                                  title: "the exchange's income differs from the store's by \(reconciliation.unexplained) USDT",
                                  evidence: reconciliation.lines.filter { !$0.difference.isZero }.map {
                                      "\($0.symbol) \($0.component.rawValue): store \($0.store), exchange \($0.exchange), difference \($0.difference)"
                                  }))
        }
        return (first, others)
    }

    /// The figures of a venue position as one line (the same wording as the store's positions).
    static func venueFiguresLine(_ held: VenueDiagnosis.HeldPosition) -> String {
        let snapshot = held.row.snapshot
        let head = "venue: \(held.side.rawValue) \(held.quantity) @ \(snapshot.entryPrice), \(snapshot.leverage)x"
        guard let figures = held.figures else { return head + ", no mark price: figures not computed" }
        return head + ": mark \(figures.price), move \(pct(figures.returns.priceMovePct)), ROE \(pct(figures.returns.roePct)), "
            + "unrealised \(StatsReport.usdt(figures.unrealizedPnL)) USDT, notional \(StatsReport.usdt(figures.notional)) USDT"
            + ", liquidation " + (figures.liquidationPrice.map { "\($0)" } ?? "none reported")
    }

    static func stopText(_ order: OrderSnapshot) -> String {
        let request = order.request
        return "\(request.closePosition ? "close-position" : "reduce-only \(request.quantity.map { "\($0)" } ?? "?")") \(request.type.rawValue) "
            + "\(request.side.rawValue) at \(request.triggerPrice.map { "\($0)" } ?? "?") (\(request.triggerSource.rawValue), \(request.clientOrderID.value))"
    }

    static func protectionText(_ held: VenueDiagnosis.HeldPosition) -> String {
        guard let stops = held.stops else { return "protection on the venue: unknown (the open orders could not be read)" }
        guard !stops.isEmpty else { return "protection on the venue: NO STOP resting" }
        let covered = held.coveredQuantity.map { $0 < held.quantity ? " — covers only \($0) of \(held.quantity)" : "" } ?? ""
        return "protection on the venue: " + stops.map(stopText).joined(separator: "; ") + covered
    }

    static func ownerText(_ held: VenueDiagnosis.HeldPosition) -> String {
        guard let owner = held.owner else { return "exit owner: none in the store (a foreign or manual position)" }
        var text = "exit owner: \(owner.executor) of run #\(owner.runID), stop \(owner.stopPrice.map { "\($0)" } ?? "NONE")"
        text += ", last price event \(owner.lastPriceEventAt.map { "\($0)" } ?? "none")"
        if let recorded = owner.restingBackstop {
            let onVenue = held.stops?.compactMap(\.request.triggerPrice) ?? []
            text += ", backstop recorded at \(recorded)" + (held.stops == nil ? "" : onVenue.contains(recorded) ? " (resting on the venue)" : " (NOT on the venue)")
        } else {
            text += ", no backstop recorded"
        }
        return text
    }
}
