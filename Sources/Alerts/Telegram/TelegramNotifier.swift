/// Sends alert messages to one Telegram chat (`sendMessage`, HTML parse mode), formatted for a
/// phone by `TelegramMessageFormat`.
public struct TelegramNotifier: Notifier {
    public let channel: String
    public let chatID: Int64
    let api: TelegramBotAPI
    let timeout: Duration

    public init(api: TelegramBotAPI, chatID: Int64, channel: String = "telegram", timeout: Duration = .seconds(10)) {
        self.api = api
        self.chatID = chatID
        self.channel = channel
        self.timeout = timeout
    }

    public func deliver(_ message: AlertMessage) async throws(DeliveryError) -> String {
        let id = try await api.sendMessage(chatID: chatID, html: TelegramMessageFormat.html(message), timeout: timeout)
        return "message \(id) to chat \(chatID)"
    }
}
