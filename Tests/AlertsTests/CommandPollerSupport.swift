import Alerts
import AlertsTestSupport
import Foundation
import Logging
import TradingEngine
import TradingModel
import TradingTestSupport

/// A `TradingControl` that records what the phone asked and answers like the session would.
final class RecordingControl: TradingControl, @unchecked Sendable {
    // @unchecked: the values are `WatchedValue`s (lock-protected) or constants.
    let sessionLabel = "paper on the fake venue: ATOMUSDT"
    let calls = WatchedValue<[String]>([])
    let current: WatchedValue<MonitorSnapshot?>
    let recent: [Alert]
    /// When set, reading the alerts fails with it (a store that cannot be read).
    let unreadable: TradeStoreError?

    init(snapshot: MonitorSnapshot? = nil, alerts: [Alert] = [], unreadable: TradeStoreError? = nil) {
        current = WatchedValue(snapshot)
        recent = alerts
        self.unreadable = unreadable
    }

    func snapshot() async -> MonitorSnapshot? { current.current }
    func close(_ symbol: Symbol?, requestedBy: String) async -> String {
        calls.update { $0.append("close \(symbol?.name ?? "all") by \(requestedBy)") }
        return "close request \(calls.current.count) done: closed by the exit owner (reduce-only market)"
    }
    func halt(reason: String, by who: String) async -> String {
        calls.update { $0.append("halt '\(reason)' by \(who)") }
        return "HALTED: \(reason); the session takes no new entries"
    }
    func resume(reason: String, by who: String) async -> String {
        calls.update { $0.append("resume '\(reason)' by \(who)") }
        return "ACTIVE: \(reason); the session takes entries again"
    }
    func recentAlerts(limit: Int) async throws -> [Alert] {
        if let unreadable { throw unreadable }
        return Array(recent.suffix(limit))
    }
}

/// A command poller against a fake Telegram on 127.0.0.1, on a stepped clock.
enum PollerSetup {
    static let chat: Int64 = 1001

    static func poller(_ fake: FakeTelegram, clock: SteppedClock, store: any TradeStore, control: any TradingControl,
                       chats: Set<Int64> = [chat], transport: (any AlertHTTPTransport)? = nil, logger: Logger = quietLogger,
                       code: String = "424242") -> TelegramCommandPoller {
        let api = TelegramBotAPI(baseURL: fake.baseURL, token: BotToken(fake.token)!, transport: transport ?? AsyncHTTPClientAlertTransport())
        return TelegramCommandPoller(api: api, authorizedChats: chats, control: control, center: nil, store: store, runID: { nil }, clock: clock,
                                     sleep: clock.sleep, makeCode: { code }, logger: logger, pollTimeout: .seconds(25),
                                     requestTimeout: .seconds(10), confirmWithin: .seconds(60), notBefore: clock.now,
                                     maxCommandAge: .seconds(60))
    }

    /// Runs `poller` while `body` runs, then stops it.
    static func running(_ poller: TelegramCommandPoller, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await poller.run() }
            var failure: (any Error)?
            do { try await body() } catch { failure = error }
            group.cancelAll()
            if let failure { throw failure }
        }
    }
}
