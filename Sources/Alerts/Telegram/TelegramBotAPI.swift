import Foundation
import TradingEngine

/// The two Telegram Bot API methods QuantumTrader uses, over any `AlertHTTPTransport`:
/// `sendMessage` (HTML parse mode) and `getUpdates` (long polling, so no public endpoint is
/// needed). `baseURL` is `https://api.telegram.org` in production and a fake server on
/// 127.0.0.1 in tests. Answers are classified: 429 → `.rateLimited(retry_after)`, 5xx and
/// unreadable answers → `.transient`, other refusals → `.rejected`. Errors carry Telegram's
/// description, never the token. Its reflection (`dump`, debuggers) shows the base URL, the
/// redacted token and the transport's type only: never the HTTP client's state, whose requests in
/// flight carry a token in their URLs.
public struct TelegramBotAPI: Sendable, CustomReflectable {
    public let baseURL: String
    let token: BotToken
    let transport: any AlertHTTPTransport

    public var customMirror: Mirror {
        Mirror(self, children: ["baseURL": baseURL, "token": token.description, "transport": String(describing: type(of: transport))])
    }

    /// Telegram's limit on a message's text.
    public static let maxTextLength = 4096

    public init(baseURL: String, token: BotToken, transport: any AlertHTTPTransport) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.transport = transport
    }

    /// Sends `html` to `chatID`; returns Telegram's message id.
    public func sendMessage(chatID: Int64, html: String, timeout: Duration) async throws(DeliveryError) -> Int64 {
        var text = html
        if text.count > Self.maxTextLength { text = String(text.prefix(Self.maxTextLength - 1)) + "…" }
        let body: [String: Any] = ["chat_id": chatID, "text": text, "parse_mode": "HTML", "disable_web_page_preview": true]
        let result = try await call("sendMessage", body: body, timeout: timeout)
        guard let message = result as? [String: Any], let id = (message["message_id"] as? NSNumber)?.int64Value else {
            throw DeliveryError(.transient, "sendMessage answered without a message id")
        }
        return id
    }

    /// Updates after `offset` (nil: from the first unconfirmed), waiting up to `pollTimeout` for one.
    public func getUpdates(offset: Int64?, pollTimeout: Duration, timeout: Duration) async throws(DeliveryError) -> [TelegramUpdate] {
        var body: [String: Any] = ["timeout": max(0, pollTimeout.components.seconds), "allowed_updates": ["message"]]
        if let offset { body["offset"] = offset }
        let result = try await call("getUpdates", body: body, timeout: pollTimeout + timeout)
        guard let items = result as? [Any] else { throw DeliveryError(.transient, "getUpdates answered without a list") }
        return items.compactMap { TelegramUpdate(json: $0) }
    }

    /// POSTs `body` as JSON to `method` and returns the answer's `result`.
    func call(_ method: String, body: [String: Any], timeout: Duration) async throws(DeliveryError) -> Any {
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: body) } catch { throw DeliveryError(.rejected, "cannot encode the \(method) request") }
        let response: AlertHTTPResponse
        do {
            response = try await transport.send(method: "POST", url: "\(baseURL)/bot\(token.value)/\(method)",
                                                headers: [("Content-Type", "application/json")], body: Array(data), timeout: timeout)
        } catch {
            throw DeliveryError(error.kind, token.redact("\(method): \(error.message)"))
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        let description = token.redact((json?["description"] as? String) ?? "")
        if response.status == 200, json?["ok"] as? Bool == true, let result = json?["result"] { return result }
        let label = "\(method): HTTP \(response.status)" + (description.isEmpty ? "" : " \(description)")
        switch response.status {
        case 429:
            let parameters = json?["parameters"] as? [String: Any]
            let seconds = (parameters?["retry_after"] as? NSNumber)?.int64Value ?? 1
            throw DeliveryError(.rateLimited(retryAfter: .seconds(max(1, min(seconds, 3600)))), label)
        case 200, 500...599:
            throw DeliveryError(.transient, label)
        case 409:
            // Another getUpdates poller or a webhook holds the bot: retry after the back-off.
            throw DeliveryError(.transient, label)
        default:
            throw DeliveryError(.rejected, label)
        }
    }
}

/// One update from `getUpdates`: a message sent to the bot.
public struct TelegramUpdate: Sendable, Hashable {
    public var updateID: Int64
    public var chatID: Int64?
    public var senderID: Int64?
    public var senderName: String?
    /// Unix seconds of the message.
    public var date: Int64?
    public var text: String?

    public init(updateID: Int64, chatID: Int64?, senderID: Int64?, senderName: String?, date: Int64?, text: String?) {
        self.updateID = updateID
        self.chatID = chatID
        self.senderID = senderID
        self.senderName = senderName
        self.date = date
        self.text = text
    }

    init?(json: Any) {
        guard let object = json as? [String: Any], let id = (object["update_id"] as? NSNumber)?.int64Value else { return nil }
        let message = (object["message"] ?? object["edited_message"]) as? [String: Any]
        let chat = message?["chat"] as? [String: Any]
        let from = message?["from"] as? [String: Any]
        let name = (from?["username"] as? String).map { "@\($0)" } ?? (from?["first_name"] as? String)
        self.init(updateID: id, chatID: (chat?["id"] as? NSNumber)?.int64Value, senderID: (from?["id"] as? NSNumber)?.int64Value,
                  senderName: name, date: (message?["date"] as? NSNumber)?.int64Value, text: message?["text"] as? String)
    }

    /// `@name (user 42)` for the command record.
    public var sender: String {
        let id = senderID.map { "user \($0)" } ?? "unknown user"
        return senderName.map { "\($0) (\(id))" } ?? id
    }
}
