import TradingEngine
import TradingModel

/// Which conditions hold now, and the messages that announce and resolve them.
extension AlertRules {
    /// Every condition true at `now`, with how long it must hold before it is alerted.
    func conditions(at now: Timestamp) -> [ConditionKey: Duration] {
        var found: [ConditionKey: Duration] = [:]
        if let snapshot {
            positionConditions(snapshot, now: now, into: &found)
            accountConditions(snapshot, into: &found)
            if settings.marketDataSilent {
                for symbol in snapshot.symbols {
                    guard let last = snapshot.lastMarketEventAt[symbol] ?? startedAt else { continue }
                    if now.since(last) >= settings.marketDataSilentAfter { found[ConditionKey(.marketDataSilent, symbol.name)] = .zero }
                }
                if marketOutOfSyncSince != nil { found[ConditionKey(.marketDataSilent, "streams")] = settings.marketDataSilentAfter }
            }
            if settings.userDataSilent, venueOutOfSyncSince != nil { found[ConditionKey(.userDataSilent)] = settings.userDataSilentAfter }
            if settings.manualHalt, snapshot.manualHalt != nil { found[ConditionKey(.manualHalt)] = .zero }
        }
        if settings.orderRejections {
            let recent = rejections.filter { now.since($0) < settings.orderRejectionsWindow }
            if recent.count >= settings.orderRejectionsCount { found[ConditionKey(.orderRejections)] = .zero }
        }
        for channel in failingChannels.keys { found[ConditionKey(.delivery, channel)] = .zero }
        return found
    }

    private func positionConditions(_ snapshot: MonitorSnapshot, now: Timestamp, into found: inout [ConditionKey: Duration]) {
        let equity = snapshot.equity
        for item in snapshot.positions {
            let symbol = item.position.symbol.name
            if settings.stopNotTriggered, item.isBeyondStop {
                // The owner acted (a close is under way): give the fill its grace. Otherwise the
                // stop was not enforced: alert on this very price.
                found[ConditionKey(.stopNotTriggered, symbol)] = item.closing ? settings.stopCloseGrace : .zero
            }
            if settings.positionLoss, let returns = item.returns(equity: equity) {
                let loss = settings.positionLossMeasure == .priceMove ? -returns.priceMovePct : -(returns.roePct ?? returns.priceMovePct)
                let key = ConditionKey(.positionLoss, symbol)
                // Hysteresis: once alerted, it clears only below 80% of the threshold.
                let threshold = fired[key] == nil ? settings.positionLossThresholdPct : settings.positionLossThresholdPct * 0.8
                if loss >= threshold { found[key] = .zero }
            }
            if item.reportsStatus {
                if settings.missingBackstop, item.backstopPrice == nil { found[ConditionKey(.missingBackstop, symbol)] = settings.missingBackstopAfter }
                if settings.exitOwnerSilent, let processed = item.lastPriceEventAt, let priceTime = item.priceTime, priceTime > processed,
                   now.since(processed) >= settings.exitOwnerSilentAfter {
                    found[ConditionKey(.exitOwnerSilent, symbol)] = .zero
                }
            }
        }
        if settings.allPositionsLosing, snapshot.positions.count >= max(1, settings.allPositionsLosingMinimum),
           snapshot.positions.allSatisfy({ item in item.price.map { item.position.unrealizedPnL(at: $0).isNegative } ?? false }) {
            found[ConditionKey(.allPositionsLosing)] = .zero
        }
    }

    private func accountConditions(_ snapshot: MonitorSnapshot, into found: inout [ConditionKey: Duration]) {
        guard settings.dailyLoss, let daily = Self.dailyLoss(snapshot), daily.pct <= -settings.dailyLossLimitPct else { return }
        found[ConditionKey(.dailyLoss)] = .zero
    }

    /// Today's PnL (realised today plus unrealised) over the day's starting equity (the wallet
    /// before today's realised PnL), in percent.
    static func dailyLoss(_ snapshot: MonitorSnapshot) -> (pct: Double, pnl: Money, start: Money)? {
        guard let wallet = snapshot.walletBalance else { return nil }
        let realized = snapshot.realizedToday
        let start = wallet - realized
        let pnl = realized + snapshot.unrealizedPnL
        guard start.isPositive, let share = pnl.ratio(to: start, .nearest) else { return nil }
        return (share.percent, pnl, start)
    }

    // MARK: - Messages

    func alertMessage(_ key: ConditionKey, since: Timestamp, at now: Timestamp) -> AlertMessage? {
        switch key.rule {
        case .stopNotTriggered, .positionLoss, .missingBackstop, .exitOwnerSilent:
            guard let item = snapshot?.positions.first(where: { $0.position.symbol.name == key.subject }) else { return nil }
            return positionMessage(key.rule, item, since: since, at: now)
        case .allPositionsLosing:
            guard let snapshot else { return nil }
            let equity = snapshot.equity
            var lines = snapshot.positions.map { item -> AlertMessage.Line in
                let returns = item.returns(equity: equity)
                let pnl = item.price.map { item.position.unrealizedPnL(at: $0) } ?? .zero
                return AlertMessage.Line("\(item.position.symbol) \(item.position.side)",
                                         "\(returns.map { AlertFormat.percent($0.priceMovePct) } ?? "?") price move, ROE "
                                            + "\(returns?.roePct.map(AlertFormat.percent) ?? "?"), \(AlertFormat.usdt(pnl))")
            }
            lines.append(AlertMessage.Line("Unrealised", AlertFormat.usdt(snapshot.unrealizedPnL)))
            lines.append(AlertMessage.Line("Bot", "every position keeps its stop and exchange backstop; nothing sent"))
            return AlertMessage(category: .alert, rule: key.rule.rawValue, severity: .warning, symbol: nil,
                                title: "All \(snapshot.positions.count) open positions are losing", lines: lines,
                                fields: ["positions": "\(snapshot.positions.count)", "unrealized_pnl_usdt": "\(snapshot.unrealizedPnL)"], time: now)
        case .dailyLoss:
            guard let snapshot, let daily = Self.dailyLoss(snapshot) else { return nil }
            let risk = snapshot.riskState
            let lines = [
                AlertMessage.Line("Today", "\(AlertFormat.usdt(daily.pnl)) (realised \(AlertFormat.usdt(snapshot.realizedToday)), "
                                  + "unrealised \(AlertFormat.usdt(snapshot.unrealizedPnL)))"),
                AlertMessage.Line("Limit", "\(AlertFormat.percent(-settings.dailyLossLimitPct)) of \(AlertFormat.usdt(daily.start)) at the day's start"),
                AlertMessage.Line("Risk engine", risk.map { "\($0.rawValue)" + ($0 == .halted ? ": no new entries" : "") } ?? "not in use (no validator)"),
            ]
            return AlertMessage(category: .alert, rule: key.rule.rawValue, severity: .critical, symbol: nil,
                                title: "Daily loss \(AlertFormat.percent(daily.pct)) of equity" + (risk.map { " (risk \($0.rawValue))" } ?? ""),
                                lines: lines, fields: ["daily_pnl_pct": "\(daily.pct)", "daily_pnl_usdt": "\(daily.pnl)",
                                                       "risk_state": risk?.rawValue ?? ""], time: now)
        case .marketDataSilent:
            let open = snapshot?.positions.contains { $0.position.symbol.name == key.subject } ?? false
            let streams = key.subject == "streams"
            let last = streams ? marketOutOfSyncSince : (snapshot?.lastMarketEventAt[Symbol(key.subject) ?? "BTCUSDT"] ?? startedAt)
            let silent = last.map { now.since($0) } ?? .zero
            let anyOpen = !(snapshot?.positions.isEmpty ?? true)
            return AlertMessage(
                category: .alert, rule: key.rule.rawValue, severity: (streams ? anyOpen : open) ? .critical : .warning,
                symbol: streams ? nil : Symbol(key.subject),
                title: streams ? "Market streams resyncing for \(AlertFormat.duration(silent))" : "No \(key.subject) market data for \(AlertFormat.duration(silent))",
                lines: [AlertMessage.Line("Bot", "entries are blocked while market data is missing; open positions keep their exchange backstops")],
                fields: ["silent_seconds": "\(silent.components.seconds)"], time: now)
        case .userDataSilent:
            let anyOpen = !(snapshot?.positions.isEmpty ?? true)
            return AlertMessage(category: .alert, rule: key.rule.rawValue, severity: anyOpen ? .critical : .warning, symbol: nil,
                                title: "Order stream out of sync for \(AlertFormat.duration(now.since(since) + settings.userDataSilentAfter))",
                                lines: [AlertMessage.Line("Bot", "fills and order updates may be late; entries are held until it resyncs and reconciles")],
                                time: now)
        case .orderRejections:
            let recent = rejections.filter { now.since($0) < settings.orderRejectionsWindow }
            return AlertMessage(category: .alert, rule: key.rule.rawValue, severity: .warning, symbol: nil,
                                title: "\(recent.count) order rejections in \(AlertFormat.duration(settings.orderRejectionsWindow))",
                                lines: [AlertMessage.Line("Bot", "each rejection is in the log and the store; exit owners retry their closes")],
                                fields: ["count": "\(recent.count)"], time: now)
        case .manualHalt:
            return AlertMessage(category: .alert, rule: key.rule.rawValue, severity: .critical, symbol: nil, title: "Manual halt: no new entries",
                                lines: [AlertMessage.Line("Reason", snapshot?.manualHalt ?? ""),
                                        AlertMessage.Line("Bot", "open positions stay protected; /resume lifts it")], time: now)
        case .delivery:
            let failure = failingChannels[key.subject]
            return AlertMessage(category: .alert, rule: key.rule.rawValue, severity: .warning, symbol: nil,
                                title: "\(key.subject) notifications are failing", lines: [AlertMessage.Line("Last error", failure?.detail ?? "")],
                                time: now, excludedChannel: key.subject)
        }
    }

    func positionMessage(_ rule: ConditionKey.Rule, _ item: MonitoredPosition, since: Timestamp, at now: Timestamp) -> AlertMessage {
        let position = item.position
        let returns = item.returns(equity: snapshot?.equity)
        let pnl = item.price.map { position.unrealizedPnL(at: $0) }
        var lines: [AlertMessage.Line] = []
        var fields = ["side": position.side.rawValue, "quantity": "\(position.quantity)", "entry_price": "\(position.entryPrice)",
                      "leverage": "\(position.leverage)"]
        let title: String
        let severity: AlertSeverity
        let action: String
        switch rule {
        case .stopNotTriggered:
            severity = .critical
            title = "\(position.symbol) \(position.side): stop should have triggered"
            lines.append(AlertMessage.Line("Price", "\(item.price.map { "\($0)" } ?? "?") beyond the stop \(item.stopPrice.map { "\($0)" } ?? "?"), position still open"))
            action = item.closing ? "a reduce-only close was sent but is not filled after \(AlertFormat.duration(now.since(since)))"
                : "the exit owner has not closed it; the watchdog force-closes it (reduce-only) if it stays beyond the stop"
        case .positionLoss:
            severity = .warning
            title = "\(position.symbol) \(position.side) losing \(returns.map { AlertFormat.percent($0.priceMovePct) } ?? "?") "
                + "(ROE \(returns?.roePct.map(AlertFormat.percent) ?? "?"))"
            action = item.stopPrice == nil ? "no exit owner holds a stop for it" : "the exit owner holds the stop; nothing sent"
        case .missingBackstop:
            severity = .critical
            title = "\(position.symbol) \(position.side) has no exchange backstop"
            action = "none resting for \(AlertFormat.duration(now.since(since) + settings.missingBackstopAfter)); the watchdog force-closes an unprotected position"
        default:
            severity = .critical
            let silent = item.lastPriceEventAt.map { now.since($0) } ?? .zero
            title = "\(position.symbol) exit owner silent for \(AlertFormat.duration(silent))"
            action = "\(item.executor ?? "the owner") processed no price since \(item.lastPriceEventAt.map(AlertFormat.clock) ?? "?") "
                + "while prices arrived; the watchdog force-closes the position"
        }
        if let returns {
            lines.append(AlertMessage.Line("Price move", "\(AlertFormat.percent(returns.priceMovePct)) (entry \(position.entryPrice) → \(item.price.map { "\($0)" } ?? "?"))"))
            lines.append(AlertMessage.Line("ROE", "\(returns.roePct.map(AlertFormat.percent) ?? "?") at \(position.leverage)x"))
            fields["price_move_pct"] = "\(Self.twoDecimals(returns.priceMovePct))"
            if let roe = returns.roePct { fields["roe_pct"] = "\(Self.twoDecimals(roe))" }
        }
        if let pnl {
            lines.append(AlertMessage.Line("PnL", "\(AlertFormat.usdt(pnl)) unrealised"))
            fields["pnl_usdt"] = "\(pnl)"
        }
        if let price = item.price { fields["price"] = "\(price)" }
        if let stop = item.stopPrice {
            let stopMove = stop.relativeChange(from: position.entryPrice, .nearest).percent * Double(position.side.sign)
            lines.append(AlertMessage.Line("Stop", "\(stop) (\(AlertFormat.percent(stopMove)) price move)"))
            fields["stop_price"] = "\(stop)"
        }
        if item.reportsStatus {
            lines.append(AlertMessage.Line("Backstop", item.backstopPrice.map { "resting at \($0)" } ?? "NOT resting"))
            if let backstop = item.backstopPrice { fields["backstop_price"] = "\(backstop)" }
        }
        lines.append(AlertMessage.Line("Bot", action))
        return AlertMessage(category: .alert, rule: rule.rawValue, severity: severity, symbol: position.symbol, title: title, lines: lines,
                            fields: fields, time: now)
    }

    func resolvedMessage(_ key: ConditionKey, title: String, at now: Timestamp) -> AlertMessage {
        var lines: [AlertMessage.Line] = []
        var symbol: Symbol?
        switch key.rule {
        case .stopNotTriggered, .positionLoss, .missingBackstop, .exitOwnerSilent:
            symbol = Symbol(key.subject)
            if let item = snapshot?.positions.first(where: { $0.position.symbol.name == key.subject }) {
                let returns = item.returns(equity: snapshot?.equity)
                lines.append(AlertMessage.Line("Now", "price move \(returns.map { AlertFormat.percent($0.priceMovePct) } ?? "?"), "
                                               + "ROE \(returns?.roePct.map(AlertFormat.percent) ?? "?")"))
            } else if let trade = snapshot?.trades.last(where: { $0.symbol.name == key.subject }) {
                lines.append(AlertMessage.Line("Closed", "\(trade.exitReason.rawValue) at \(trade.exitPrice), net \(AlertFormat.usdt(trade.netPnL))"))
            } else {
                lines.append(AlertMessage.Line(nil, "the position is no longer open"))
            }
        case .delivery:
            lines.append(AlertMessage.Line(nil, "\(key.subject) delivers again"))
        case .manualHalt:
            lines.append(AlertMessage.Line(nil, "entries allowed again"))
        default:
            lines.append(AlertMessage.Line(nil, "the condition cleared"))
        }
        return AlertMessage(category: .resolved, rule: key.rule.rawValue, severity: .info, symbol: symbol, title: "Resolved: \(title)",
                            lines: lines, time: now)
    }

    static func twoDecimals(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
