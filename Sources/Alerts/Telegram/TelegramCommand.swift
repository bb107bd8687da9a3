import TradingModel

/// A command typed in the Telegram chat.
public enum TelegramCommand: Sendable, Hashable {
    case status
    case positions
    case pnl
    case close(Symbol)
    case closeAll
    case confirm(code: String)
    case halt(reason: String)
    case resume(reason: String)
    case alerts
    case help
    /// Not a command we know, or a malformed one; the text says what was wrong.
    case invalid(String)

    /// Parses `/name args` (a `@BotName` suffix on the name is allowed, case-insensitive names).
    public init(text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
        guard let first = words.first, first.hasPrefix("/") else {
            self = .invalid("commands start with /; send /help for the list")
            return
        }
        let name = first.dropFirst().split(separator: "@", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        let rest = Array(words.dropFirst())
        let reason = rest.joined(separator: " ")
        switch name {
        case "status": self = .status
        case "positions": self = .positions
        case "pnl": self = .pnl
        case "alerts": self = .alerts
        case "help", "start": self = .help
        case "closeall": self = .closeAll
        case "close":
            guard rest.count == 1, let symbol = Symbol(rest[0].uppercased()) else {
                self = .invalid("usage: /close SYMBOL (e.g. /close ATOMUSDT), or /closeall")
                return
            }
            self = .close(symbol)
        case "confirm":
            guard rest.count == 1 else {
                self = .invalid("usage: /confirm CODE (the code the bot sent)")
                return
            }
            self = .confirm(code: rest[0])
        case "halt": self = .halt(reason: reason.isEmpty ? "halted from Telegram" : reason)
        case "resume": self = .resume(reason: reason.isEmpty ? "resumed from Telegram" : reason)
        default: self = .invalid("unknown command /\(name); send /help for the list")
        }
    }

    /// What `/help` answers.
    public static let helpText = """
        /status — session, positions, today's PnL, risk state
        /positions — entry, mark, stop, targets, price move %, ROE %, backstop
        /pnl — today and since start
        /close SYMBOL — close one position (asks for a code)
        /closeall — close every position (asks for a code)
        /confirm CODE — confirm a close
        /halt [reason] — no new entries (positions keep their exits)
        /resume [reason] — allow entries again
        /alerts — recent alerts
        """
}

/// One-time confirmation codes for closes: a code is bound to the chat that asked, the action,
/// and expires after `validity`. Taking a code consumes it. Pure value; time and the codes'
/// randomness come from the caller.
public struct ConfirmationCodes: Sendable {
    public enum Action: Sendable, Hashable {
        case close(Symbol)
        case closeAll
    }

    struct Pending: Sendable, Hashable {
        var action: Action
        var chatID: Int64
        var expires: Timestamp
    }

    public let validity: Duration
    var pending: [String: Pending] = [:]

    public init(validity: Duration = .seconds(60)) { self.validity = validity }

    /// Registers `code` for `action` asked by `chatID` at `time`; an earlier code of the chat for
    /// the same action is replaced.
    public mutating func issue(_ code: String, for action: Action, chatID: Int64, at time: Timestamp) {
        pending = pending.filter { $0.value.expires > time && !($0.value.chatID == chatID && $0.value.action == action) }
        pending[code] = Pending(action: action, chatID: chatID, expires: time.advanced(by: validity))
    }

    /// The action of `code` for `chatID`, consumed; or why it cannot be confirmed.
    public mutating func take(_ code: String, chatID: Int64, at time: Timestamp) -> Result<Action, ConfirmationError> {
        guard let entry = pending[code], entry.chatID == chatID else { return .failure(.unknown) }
        pending[code] = nil
        guard entry.expires > time else { return .failure(.expired) }
        return .success(entry.action)
    }
}

public enum ConfirmationError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknown
    case expired
    public var description: String {
        switch self {
        case .unknown: "no such code for this chat (codes are one-time; ask again with /close SYMBOL or /closeall)"
        case .expired: "the code expired; ask again with /close SYMBOL or /closeall"
        }
    }
}
