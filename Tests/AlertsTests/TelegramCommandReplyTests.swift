import Alerts
import AlertsTestSupport
import Foundation
import Testing
import TradingEngine
import TradingModel
import TradingTestSupport

/// What `/status`, `/positions`, `/pnl` and `/alerts` answer, as the trader reads it on the phone.
@Suite("Telegram command answers (content)", .timeLimit(.minutes(5)))
struct TelegramCommandReplyTests {
    /// Yesterday +11.50 net (12 gross, 0.50 fees); today -3.25 net (-3 gross, 0.25 fees).
    static let trades = [
        ClosedTrade(symbol: "ATOMUSDT", side: .long, quantity: Quantity(units: 100), entryTime: ATOM.time(-7200), entryPrice: Price("2.1")!,
                    exitTime: ATOM.time(-3600), exitPrice: Price("2.22")!, exitReason: .takeProfit, grossPnL: Money(units: 12),
                    fees: Money("0.5")!, funding: .zero, leverage: 2),
        ClosedTrade(symbol: "ATOMUSDT", side: .short, quantity: Quantity(units: 100), entryTime: ATOM.time(-60), entryPrice: Price("2.2")!,
                    exitTime: ATOM.time(2), exitPrice: Price("2.23")!, exitReason: .stopLoss, grossPnL: Money(units: -3),
                    fees: Money("0.25")!, funding: .zero, leverage: 2),
    ]

    /// Sends `commands` one after another from the authorised chat; returns the answers in order.
    static func answers(to commands: [String], control: RecordingControl) async throws -> [String] {
        let clock = SteppedClock(ATOM.time(5))
        return try await FakeTelegram(clock: clock).run { fake in
            let poller = PollerSetup.poller(fake, clock: clock, store: InMemoryTradeStore(), control: control)
            try await PollerSetup.running(poller) {
                for (index, command) in commands.enumerated() {
                    fake.pushMessage(updateID: Int64(index + 1), chatID: PollerSetup.chat, userID: 42, username: "trader", text: command)
                    await fake.state.wait { $0.delivered.count == index + 1 }
                }
            }
            return fake.replies
        }
    }

    @Test("/status, /positions, /pnl: entry, mark, stop, targets, price move and ROE named apart, backstop, last price event, today and since start")
    func statusPositionsPnL() async throws {
        let snapshot = ATOM.snapshot([ATOM.monitored(price: "2.24281", at: 5)], at: 5, trades: Self.trades)
        let replies = try await Self.answers(to: ["/status", "/positions", "/pnl"], control: RecordingControl(snapshot: snapshot))
        try #require(replies.count == 3)
        // Unrealised: 446.03 × (2.224 − 2.24281) = −8.3898… for the short; today −3.25 − 8.39 = −11.64.
        #expect(replies[0] == """
            <b>paper on the fake venue: ATOMUSDT</b> at 00:00:05 UTC
            Open positions: <b>1</b>
            • ATOMUSDT SHORT: price move <b>-0.85%</b>, ROE <b>-1.69%</b>
            Today: <b>-11.64 USDT</b>
            Risk: <b>ACTIVE</b>
            Alerts: none active
            """)
        #expect(replies[1] == """
            <b>ATOMUSDT SHORT 446.03 at 2x</b>
            Entry 2.224 · mark 2.24281
            Price move <b>-0.85%</b> · ROE <b>-1.69%</b> · PnL <b>-8.39 USDT</b>
            Stop 2.250688 · targets 2.20176
            Backstop: resting at 2.256
            Last price event: 00:00:05 UTC
            """)
        // Day start equity: wallet 10 000 − today's realised (−3.25) = 10 003.25; today −11.64 → −0.12%.
        #expect(replies[2] == """
            <b>Today</b> (UTC): -3.25 USDT realised in 1 trade(s), -8.39 USDT unrealised
            <b>Since start</b>: +8.25 USDT realised in 2 trade(s)
            Today on equity: <b>-0.12%</b> of +10003.25 USDT
            Wallet: +10000.00 USDT
            """)
    }

    @Test("/positions shows a missing backstop loudly; /status shows a manual halt; no positions and no data are said plainly")
    func missingBackstopAndHalt() async throws {
        var snapshot = ATOM.snapshot([ATOM.monitored(price: "2.2507", at: 5, backstop: nil)], at: 5)
        snapshot.manualHalt = "by telegram @trader (user 42): news"
        let replies = try await Self.answers(to: ["/positions", "/status"], control: RecordingControl(snapshot: snapshot))
        try #require(replies.count == 2)
        #expect(replies[0].contains("Backstop: <b>NOT resting</b>"))
        #expect(replies[1].contains("Risk: <b>ACTIVE</b> · manual halt: by telegram @trader (user 42): news"))
        let empty = try await Self.answers(to: ["/positions", "/pnl", "/status"], control: RecordingControl())
        #expect(empty == ["No open positions.", "No data yet.", "<b>paper on the fake venue: ATOMUSDT</b>\nno market data handled yet"])
    }

    @Test("/alerts when the store cannot be read says so (never \"no alerts\")")
    func unreadableAlerts() async throws {
        let control = RecordingControl(unreadable: .database("qt.sqlite: disk I/O error"))
        let replies = try await Self.answers(to: ["/alerts"], control: control)
        try #require(replies.count == 1)
        #expect(replies[0].hasPrefix("The alerts could not be read from the store: "))
        #expect(replies[0].contains("disk I/O error"))
    }

    @Test("/alerts lists the session's recent alerts with time, severity, kind and symbol, escaped for HTML")
    func recentAlerts() async throws {
        let alerts = [
            Alert(severity: .warning, kind: "alerts.position_loss", message: "ATOMUSDT SHORT losing: price move -0.85%, ROE -1.69%", symbol: "ATOMUSDT",
                  time: ATOM.time(4)),
            Alert(severity: .critical, kind: "alerts.stop_not_triggered", message: "stop should have triggered at <2.2507> & still open",
                  symbol: "ATOMUSDT", time: ATOM.time(5)),
        ]
        let replies = try await Self.answers(to: ["/alerts"], control: RecordingControl(alerts: alerts))
        try #require(replies.count == 1)
        #expect(replies[0] == """
            00:00:04 UTC <b>WARNING</b> alerts.position_loss ATOMUSDT
            ATOMUSDT SHORT losing: price move -0.85%, ROE -1.69%
            00:00:05 UTC <b>CRITICAL</b> alerts.stop_not_triggered ATOMUSDT
            stop should have triggered at &lt;2.2507&gt; &amp; still open
            """)
        let none = try await Self.answers(to: ["/alerts"], control: RecordingControl())
        #expect(none == ["No alerts in this session."])
    }
}
