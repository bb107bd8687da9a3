import TradingEngine
import TradingModel
import Synchronization

/// Carrying out one authorised command.
extension TelegramCommandPoller {
    /// Carries a command out; returns the reply (HTML) and the outcome recorded.
    func execute(_ command: TelegramCommand, chatID: Int64, sender: String) async -> (String, String) {
        switch command {
        case .help:
            return (TelegramMessageFormat.escape(TelegramCommand.helpText), "help sent")
        case .status:
            return (CommandReplies.status(await control.snapshot(), session: control.sessionLabel,
                                          activeConditions: center?.activeConditions ?? []), "status sent")
        case .positions:
            return (CommandReplies.positions(await control.snapshot()), "positions sent")
        case .pnl:
            return (CommandReplies.pnl(await control.snapshot()), "pnl sent")
        case .alerts:
            do {
                return (CommandReplies.alerts(try await control.recentAlerts(limit: 10)), "recent alerts sent")
            } catch {
                let text = "The alerts could not be read from the store: \(error)"
                return (TelegramMessageFormat.escape(text), "alerts unreadable: \(error)")
            }
        case .halt(let reason):
            let outcome = await control.halt(reason: reason, by: "telegram \(sender)")
            return (TelegramMessageFormat.escape(outcome), outcome)
        case .resume(let reason):
            let outcome = await control.resume(reason: reason, by: "telegram \(sender)")
            return (TelegramMessageFormat.escape(outcome), outcome)
        case .close(let symbol):
            return await askConfirmation(.close(symbol), chatID: chatID)
        case .closeAll:
            return await askConfirmation(.closeAll, chatID: chatID)
        case .confirm(let code):
            let taken = lock.withLock { _ in codes.take(code, chatID: chatID, at: clock.now) }
            switch taken {
            case .failure(let error):
                return ("Not confirmed: \(TelegramMessageFormat.escape(error.description))", "confirmation refused: \(error)")
            case .success(let action):
                let symbol: Symbol? = if case .close(let symbol) = action { symbol } else { nil }
                let outcome = await control.close(symbol, requestedBy: "telegram \(sender)")
                return (TelegramMessageFormat.escape(outcome), outcome)
            }
        case .invalid(let why):
            return (TelegramMessageFormat.escape(why), "refused: \(why)")
        }
    }

    /// Describes what would be closed and sends a one-time code; nothing open → nothing asked.
    func askConfirmation(_ action: ConfirmationCodes.Action, chatID: Int64) async -> (String, String) {
        let snapshot = await control.snapshot()
        let positions = snapshot?.positions ?? []
        let targets: [MonitoredPosition]
        switch action {
        case .close(let symbol):
            if let symbols = snapshot?.symbols, !symbols.isEmpty, !symbols.contains(symbol) {
                return ("\(symbol) is not traded by this session.", "refused: \(symbol) not traded")
            }
            targets = positions.filter { $0.position.symbol == symbol }
            guard !targets.isEmpty else { return ("No open \(symbol) position.", "refused: no open \(symbol) position") }
        case .closeAll:
            targets = positions
            guard !targets.isEmpty else { return ("No open positions.", "refused: no open positions") }
        }
        let code = makeCode()
        let validity = lock.withLock { _ in
            codes.issue(code, for: action, chatID: chatID, at: clock.now)
            return codes.validity
        }
        let lines = targets.map { item -> String in
            let returns = item.returns(equity: snapshot?.equity)
            return "• \(item.position.symbol) \(item.position.side) \(item.position.quantity): price move "
                + "\(returns.map { AlertFormat.percent($0.priceMovePct) } ?? "?"), ROE \(returns?.roePct.map(AlertFormat.percent) ?? "?")"
        }
        let reply = "Close at market, reduce-only, through the exit owner:\n" + TelegramMessageFormat.escape(lines.joined(separator: "\n"))
            + "\nSend <b>/confirm \(code)</b> within \(AlertFormat.duration(validity)) to do it."
        return (reply, "confirmation code sent for \(targets.map(\.position.symbol.name).joined(separator: ", "))")
    }
}
