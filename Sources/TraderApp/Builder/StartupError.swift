import TradingModel

/// Why a trader could not be built or started: one type for every mode (`qt backtest`, `qt
/// paper`, `qt live`), with a code saying what kind of thing is wrong, a one-line message naming
/// the field, option or file to fix, and the underlying error when there is one.
///
/// Fail closed: every start-up refusal is one of these, raised before any venue call, order or
/// store write it would have guarded.
public struct StartupError: Error, Sendable, CustomStringConvertible {
    /// What kind of thing is wrong (how a user fixes it).
    public enum Code: String, Sendable, CaseIterable {
        /// A setting of the file: its key is in `field`.
        case configuration
        /// A command-line option or confirmation flag is missing or contradicts the file.
        case confirmation
        /// API keys or other secrets could not be read.
        case credentials
        /// The strategy's model is missing, unreadable or does not fit the session.
        case model
        /// Market-data files or symbols cannot be used.
        case data
        /// The trade store cannot be opened or written.
        case store
        /// Another session holds the store or the account.
        case lock
        /// The alert services or the dashboard cannot be built.
        case services
        /// The venue refused the start-up (server time, position mode, instruments, margin).
        case venue
    }

    public var code: Code
    /// One line: what is wrong and what to do.
    public var message: String
    /// The setting or option at fault (`[strategy] entry_gate`, `--confirm-live`), when one is.
    public var field: String?
    /// The error underneath (a configuration, model, store or venue error), when there is one.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, field: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    /// The message on one line (control characters escaped).
    public var description: String { DisplayText.controlsEscaped(message) }

    /// What `qt` prints: the message, then the code and field, then the cause when it adds
    /// anything to the message.
    public var lines: [String] {
        var lines = [description]
        lines.append("  (\(code.rawValue)\(field.map { ", \($0)" } ?? ""))")
        if let cause {
            let text = DisplayText.controlsEscaped("\(cause)")
            if !message.contains(text) { lines.append("  cause: \(text)") }
        }
        return lines
    }
}
