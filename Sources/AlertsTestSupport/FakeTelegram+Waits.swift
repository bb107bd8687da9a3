import Alerts

/// What tests read from the fake Telegram, and the conditions they wait for (never a sleep).
extension FakeTelegram {
    /// `getUpdates` requests received, in arrival order.
    public var polls: [Received] { state.current.received.filter { $0.method == "getUpdates" } }
    /// Texts answered 200 to `sendMessage`, in arrival order.
    public var replies: [String] { state.current.delivered.compactMap(\.text) }

    /// Waits until `count` `getUpdates` requests arrived.
    public func waitForPolls(_ count: Int) async {
        await state.wait { $0.received.filter { $0.method == "getUpdates" }.count >= count }
    }

    /// Waits until a delivered message contains `text`; returns it.
    @discardableResult
    public func waitForReply(containing text: String) async -> String {
        await state.wait { $0.delivered.contains { $0.text?.contains(text) == true } }
        return state.current.delivered.compactMap(\.text).first { $0.contains(text) } ?? ""
    }
}
