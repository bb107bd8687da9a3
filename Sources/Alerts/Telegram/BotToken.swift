import Foundation

/// A Telegram bot token (from @BotFather). Never printed, logged or stored: every textual form is
/// redacted, and errors name where it came from, never its value.
public struct BotToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let value: String

    /// Accepts `<bot id>:<secret>` (digits, a colon, then letters, digits, `_` or `-`); nil otherwise.
    public init?(_ value: String) {
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber),
              parts[1].count >= 20, parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { return nil }
        self.value = value
    }

    public var description: String { "BotToken(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }

    /// `text` with every occurrence of the token replaced (for error texts from elsewhere).
    public func redact(_ text: String) -> String {
        text.replacingOccurrences(of: value, with: "<bot token>")
    }
}
