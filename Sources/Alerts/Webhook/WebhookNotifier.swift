import Crypto
import Foundation
import TradingEngine
import TradingModel

/// Posts each alert message as JSON to a URL (a chat bridge, a pager, your own service). With a
/// secret, every request is signed: `X-QT-Timestamp` (milliseconds) and `X-QT-Signature:
/// sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>`, so the receiver can check
/// it came from this bot and is fresh. 2xx is delivered; 429 waits for `Retry-After`; 408 and 5xx
/// are retried; other statuses are refused for good.
public struct WebhookNotifier: Notifier {
    public let channel = "webhook"
    let url: String
    let secret: WebhookSecret?
    let transport: any AlertHTTPTransport
    let clock: any TradingClock
    let timeout: Duration
    let runID: Int64?

    public init(url: String, secret: WebhookSecret?, transport: any AlertHTTPTransport, clock: any TradingClock,
                timeout: Duration = .seconds(10), runID: Int64? = nil) {
        self.url = url
        self.secret = secret
        self.transport = transport
        self.clock = clock
        self.timeout = timeout
        self.runID = runID
    }

    public func deliver(_ message: AlertMessage) async throws(DeliveryError) -> String {
        let body = Self.payload(message, runID: runID)
        var headers = [("Content-Type", "application/json")]
        if let secret {
            let timestamp = "\(clock.now.milliseconds)"
            headers.append(("X-QT-Timestamp", timestamp))
            headers.append(("X-QT-Signature", "sha256=" + Self.signature(body: body, timestamp: timestamp, secret: secret)))
        }
        let response = try await transport.send(method: "POST", url: url, headers: headers, body: body, timeout: timeout)
        switch response.status {
        case 200...299: return "HTTP \(response.status)"
        case 429: throw DeliveryError(.rateLimited(retryAfter: .seconds(1)), "HTTP 429")
        case 408, 500...599: throw DeliveryError(.transient, "HTTP \(response.status)")
        default: throw DeliveryError(.rejected, "HTTP \(response.status)")
        }
    }

    /// The JSON body: `source`, `run_id`, `category`, `rule`, `severity`, `symbol`, `time` (ISO
    /// 8601), `time_ms`, `title`, `text` (plain), `lines` and `fields`. Keys sorted.
    public static func payload(_ message: AlertMessage, runID: Int64?) -> [UInt8] {
        var object: [String: Any] = [
            "source": "quantumtrader", "category": message.category.rawValue, "rule": message.rule,
            "severity": message.severity.rawValue, "time": message.time.iso8601, "time_ms": message.time.milliseconds,
            "title": message.title, "text": message.plainText, "fields": message.fields,
            "lines": message.lines.map { line in line.label.map { "\($0): \(line.value)" } ?? line.value },
        ]
        object["symbol"] = message.symbol?.name ?? NSNull()
        object["run_id"] = runID ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    /// Lowercase hex HMAC-SHA256 of `<timestamp>.<body>`.
    public static func signature(body: [UInt8], timestamp: String, secret: WebhookSecret) -> String {
        let key = SymmetricKey(data: Array(secret.value.utf8))
        let signed = Array((timestamp + ".").utf8) + body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key)
        return mac.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
    }
}

/// The webhook's HMAC secret. Never printed, logged or stored.
public struct WebhookSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let value: String
    public init?(_ value: String) {
        guard !value.isEmpty else { return nil }
        self.value = value
    }
    public var description: String { "WebhookSecret(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}
