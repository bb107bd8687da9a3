import Foundation
import TradingEngine

/// Renders an `AlertMessage` as Telegram HTML for a phone: an icon and the title in bold, then
/// one short line per fact with the value emphasised (`Price move: <b>-0.85%</b>`).
public enum TelegramMessageFormat {
    public static func html(_ message: AlertMessage) -> String {
        var lines = ["\(icon(message)) <b>\(escape(message.title))</b>"]
        for line in message.lines {
            if let label = line.label {
                lines.append("\(escape(label)): <b>\(escape(line.value))</b>")
            } else {
                lines.append(escape(line.value))
            }
        }
        lines.append("<i>\(escape(AlertFormat.clock(message.time)))</i>")
        return lines.joined(separator: "\n")
    }

    static func icon(_ message: AlertMessage) -> String {
        switch message.category {
        case .resolved: "✅"
        case .digest: "📋"
        case .heartbeat: "💓"
        case .lifecycle: message.severity == .info ? "🟢" : "🔴"
        case .test: "🧪"
        case .reply: "💬"
        case .alert:
            switch message.severity {
            case .critical: "🚨 CRITICAL"
            case .warning: "⚠️"
            case .info: "ℹ️"
            }
        }
    }

    /// The three characters Telegram's HTML mode requires escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The text a person reads of Telegram HTML: tags removed, the three escapes undone (for
    /// the store's record of an answer).
    public static func plain(_ html: String) -> String {
        var out = ""
        var inTag = false
        for character in html {
            switch character {
            case "<": inTag = true
            case ">" where inTag: inTag = false
            default: if !inTag { out.append(character) }
            }
        }
        return out.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
