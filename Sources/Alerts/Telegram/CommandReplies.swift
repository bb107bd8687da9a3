import TradingEngine
import TradingModel

/// The answers to `/status`, `/positions`, `/pnl` and `/alerts`, as Telegram HTML read on a
/// phone: price move and ROE always side by side and named, PnL in USDT.
public enum CommandReplies {
    static func escape(_ text: String) -> String { TelegramMessageFormat.escape(text) }

    public static func status(_ snapshot: MonitorSnapshot?, session: String, activeConditions: [String]) -> String {
        guard let snapshot else { return "<b>\(escape(session))</b>\nno market data handled yet" }
        var lines = ["<b>\(escape(session))</b> at \(escape(AlertFormat.clock(snapshot.time)))"]
        lines.append("Open positions: <b>\(snapshot.positions.count)</b>")
        for item in snapshot.positions {
            let returns = item.returns(equity: snapshot.equity)
            lines.append("• \(escape("\(item.position.symbol) \(item.position.side)")): price move <b>\(returns.map { AlertFormat.percent($0.priceMovePct) } ?? "?")</b>, "
                         + "ROE <b>\(returns?.roePct.map(AlertFormat.percent) ?? "?")</b>")
        }
        lines.append("Today: <b>\(escape(AlertFormat.usdt(snapshot.realizedToday + snapshot.unrealizedPnL)))</b>")
        lines.append("Risk: <b>\(snapshot.riskState?.rawValue ?? "no risk engine")</b>"
                     + (snapshot.manualHalt.map { " · manual halt: \(escape($0))" } ?? ""))
        if let halt = snapshot.haltReason { lines.append("Entries halted: \(escape(halt))") }
        if !snapshot.venueStreamInSync { lines.append("Order stream: resyncing") }
        if !snapshot.marketStreamInSync { lines.append("Market streams: resyncing") }
        lines.append(activeConditions.isEmpty ? "Alerts: none active" : "Active alerts: \(escape(activeConditions.joined(separator: ", ")))")
        return lines.joined(separator: "\n")
    }

    public static func positions(_ snapshot: MonitorSnapshot?) -> String {
        guard let snapshot, !snapshot.positions.isEmpty else { return "No open positions." }
        var blocks: [String] = []
        for item in snapshot.positions {
            let position = item.position
            let returns = item.returns(equity: snapshot.equity)
            let pnl = item.price.map { position.unrealizedPnL(at: $0) }
            var lines = ["<b>\(escape("\(position.symbol) \(position.side) \(position.quantity)")) at \(position.leverage)x</b>"]
            lines.append("Entry \(position.entryPrice) · mark \(item.price.map { "\($0)" } ?? "?")")
            lines.append("Price move <b>\(returns.map { AlertFormat.percent($0.priceMovePct) } ?? "?")</b> · ROE <b>\(returns?.roePct.map(AlertFormat.percent) ?? "?")</b>"
                         + " · PnL <b>\(pnl.map { escape(AlertFormat.usdt($0)) } ?? "?")</b>")
            lines.append("Stop \(item.stopPrice.map { "\($0)" } ?? "none") · targets \(item.targetPrices.isEmpty ? "none" : item.targetPrices.map { "\($0)" }.joined(separator: ", "))")
            if item.reportsStatus {
                lines.append("Backstop: " + (item.backstopPrice.map { "resting at \($0)" } ?? "<b>NOT resting</b>"))
            } else {
                lines.append("Backstop: none (\(escape(item.executor ?? "no owner")))")
            }
            lines.append("Last price event: \(item.lastPriceEventAt.map { escape(AlertFormat.clock($0)) } ?? "none")")
            blocks.append(lines.joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n\n")
    }

    public static func pnl(_ snapshot: MonitorSnapshot?) -> String {
        guard let snapshot else { return "No data yet." }
        let unrealized = snapshot.unrealizedPnL
        let today = snapshot.trades.filter { $0.exitTime.utcDay == snapshot.time.utcDay }
        var lines = ["<b>Today</b> (UTC): \(escape(AlertFormat.usdt(snapshot.realizedToday))) realised in \(today.count) trade(s), "
                     + "\(escape(AlertFormat.usdt(unrealized))) unrealised"]
        lines.append("<b>Since start</b>: \(escape(AlertFormat.usdt(snapshot.realizedSinceStart))) realised in \(snapshot.trades.count) trade(s)")
        if let daily = AlertRules.dailyLoss(snapshot) {
            lines.append("Today on equity: <b>\(AlertFormat.percent(daily.pct))</b> of \(escape(AlertFormat.usdt(daily.start)))")
        }
        if let wallet = snapshot.walletBalance { lines.append("Wallet: \(escape(AlertFormat.usdt(wallet)))") }
        return lines.joined(separator: "\n")
    }

    public static func alerts(_ alerts: [Alert]) -> String {
        guard !alerts.isEmpty else { return "No alerts in this session." }
        return alerts.map { alert in
            "\(escape(AlertFormat.clock(alert.time))) <b>\(alert.severity.rawValue)</b> \(escape(alert.kind.rawValue))"
                + (alert.symbol.map { " \(escape($0.name))" } ?? "") + "\n\(escape(String(alert.message.prefix(300))))"
        }.joined(separator: "\n")
    }
}
