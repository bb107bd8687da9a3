import Alerts
import Testing
import TradingEngine
import TradingModel

@Suite("Alert rules: conditions, resolve, repeats, rate limit")
struct AlertRulesTests {
    /// Only the rule under test.
    static func only(_ change: (inout AlertRuleSettings) -> Void) -> AlertRuleSettings {
        var settings = AlertRuleSettings()
        settings.positionLoss = false
        settings.stopNotTriggered = false
        settings.allPositionsLosing = false
        settings.dailyLoss = false
        settings.missingBackstop = false
        settings.exitOwnerSilent = false
        settings.marketDataSilent = false
        settings.userDataSilent = false
        settings.orderRejections = false
        settings.manualHalt = false
        settings.lifecycle = false
        settings.runtimeAlertsMinimum = nil
        change(&settings)
        return settings
    }

    @Test("the 0.5% rule on the 2x ATOM short reports price move and ROE separately: -0.85% and -1.69%")
    func lossRuleShowsPriceMoveAndROE() throws {
        var rules = AlertRules(settings: Self.only { $0.positionLoss = true })
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.23")], at: 1))).isEmpty)  // -0.27%: below 0.5%
        // 2.24281: move = -(2.24281 - 2.224) / 2.224 = -0.8458%; PnL = -446.03 × 0.01881 = -8.3898243;
        // ROE = -8.3898243 / 495.98536 = -1.6915%.
        let messages = rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.24281")], at: 2)))
        let message = try #require(messages.first)
        #expect(messages.count == 1)
        #expect(message.rule == "position_loss" && message.severity == .warning)
        #expect(message.title == "ATOMUSDT SHORT losing -0.85% (ROE -1.69%)")
        #expect(message.lines.contains(AlertMessage.Line("Price move", "-0.85% (entry 2.224 → 2.24281)")))
        #expect(message.lines.contains(AlertMessage.Line("ROE", "-1.69% at 2x")))
        #expect(message.lines.contains(AlertMessage.Line("PnL", "-8.39 USDT unrealised")))
        #expect(message.fields["price_move_pct"] == "-0.85" && message.fields["roe_pct"] == "-1.69")
        let html = TelegramMessageFormat.html(message)
        #expect(html.contains("Price move: <b>-0.85% (entry 2.224 → 2.24281)</b>") && html.contains("ROE: <b>-1.69% at 2x</b>"))
        // One alert per condition: the same loss again says nothing; a recovery below 80% of the threshold resolves it.
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.245")], at: 3))).isEmpty)
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.233")], at: 4))).isEmpty)  // -0.40%: inside the hysteresis
        let resolved = rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.2305")], at: 5)))
        #expect(resolved.map(\.category) == [.resolved])
        #expect(resolved.first?.title == "Resolved: ATOMUSDT SHORT losing -0.85% (ROE -1.69%)")
    }

    @Test("the threshold can be on ROE instead of the price move")
    func lossRuleOnROE() {
        var rules = AlertRules(settings: Self.only {
            $0.positionLoss = true
            $0.positionLossMeasure = .roe
            $0.positionLossThresholdPct = 1.5
        })
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.24")], at: 1))).isEmpty)  // ROE -1.44%
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.24281")], at: 2))).count == 1)  // ROE -1.69%
    }

    @Test("stop should have triggered: critical on the crossing price when the owner did not act; resolved with the trade")
    func stopNotTriggered() throws {
        var rules = AlertRules(settings: Self.only { $0.stopNotTriggered = true })
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.2506")], at: 1))).isEmpty)
        let crossed = rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.2507")], at: 2)))
        let message = try #require(crossed.first)
        #expect(message.severity == .critical && message.rule == "stop_not_triggered")
        #expect(message.title == "ATOMUSDT SHORT: stop should have triggered")
        #expect(message.lines.first == AlertMessage.Line("Price", "2.2507 beyond the stop 2.250688, position still open"))
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.2555")], at: 3))).isEmpty)
        let trade = ClosedTrade(symbol: "ATOMUSDT", side: .short, quantity: ATOM.quantity, entryTime: ATOM.time(0), entryPrice: ATOM.entry,
                                exitTime: ATOM.time(4), exitPrice: Price("2.2555")!, exitReason: .watchdog, grossPnL: Money("-13.82693")!,
                                fees: Money("0.99")!, funding: .zero, leverage: 2)
        let resolved = rules.on(.snapshot(ATOM.snapshot([], at: 4, trades: [trade])))
        #expect(resolved.map(\.category) == [.resolved])
        #expect(resolved.first?.lines == [AlertMessage.Line("Closed", "watchdog at 2.2555, net -14.82 USDT")])
    }

    @Test("a crossed stop whose close is under way waits for the fill's grace before alerting")
    func stopWithCloseInFlight() {
        var rules = AlertRules(settings: Self.only {
            $0.stopNotTriggered = true
            $0.stopCloseGrace = .seconds(2)
        })
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.2507", closing: true)], at: 10))).isEmpty)
        #expect(rules.on(.timer(ATOM.time(11))).isEmpty)
        #expect(rules.on(.timer(ATOM.time(12))).map(\.rule) == ["stop_not_triggered"])
        // Filled in time: nothing.
        var filled = AlertRules(settings: Self.only { $0.stopNotTriggered = true })
        #expect(filled.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.2507", closing: true)], at: 10))).isEmpty)
        #expect(filled.on(.snapshot(ATOM.snapshot([], at: 11))).isEmpty)
        #expect(filled.on(.timer(ATOM.time(15))).isEmpty)
    }

    @Test("missing backstop and a silent exit owner after their delays; market data silence on the timer")
    func timeBasedRules() {
        var rules = AlertRules(settings: Self.only {
            $0.missingBackstop = true
            $0.exitOwnerSilent = true
            $0.marketDataSilent = true
        })
        let bare = ATOM.monitored(price: "2.23", at: 0, backstop: nil, lastPriceEventAt: ATOM.time(0))
        #expect(rules.on(.snapshot(ATOM.snapshot([bare], at: 0))).isEmpty)
        #expect(rules.on(.timer(ATOM.time(4))).isEmpty)
        #expect(rules.on(.timer(ATOM.time(5))).map(\.rule) == ["missing_backstop"])
        // Prices keep arriving, the owner processed none since 0 s.
        var later = ATOM.monitored(price: "2.231", at: 10, backstop: nil, lastPriceEventAt: ATOM.time(0))
        later.priceTime = ATOM.time(10)
        #expect(rules.on(.snapshot(ATOM.snapshot([later], at: 10))).map(\.rule) == ["exit_owner_silent"])
        // No market event for 30 s: the independent timer notices (critical: a position is open).
        let silent = rules.on(.timer(ATOM.time(40)))
        #expect(silent.map(\.rule) == ["market_data_silent"])
        #expect(silent.first?.severity == .critical)
        #expect(rules.activeConditions == ["exit_owner_silent:ATOMUSDT", "market_data_silent:ATOMUSDT", "missing_backstop:ATOMUSDT"])
    }

    @Test("all positions losing, and the daily loss beyond 2% with the risk engine's state")
    func accountRules() throws {
        var rules = AlertRules(settings: Self.only {
            $0.allPositionsLosing = true
            $0.dailyLoss = true
        })
        var link = ATOM.monitored(price: "2.23")
        link.position.symbol = "LINKUSDT"
        let losing = rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.23"), link], at: 1)))
        #expect(losing.map(\.rule) == ["all_positions_losing"])
        // Wallet 10 000 after -150 realised today (start 10 150); unrealised of 2.30: -446.03 × 0.076 = -33.89828;
        // today -183.89828 / 10 150 = -1.81%: below the limit. At 2.40: -78.50128; -228.50128 / 10 150 = -2.25%.
        let trade = ClosedTrade(symbol: "ATOMUSDT", side: .long, quantity: ATOM.quantity, entryTime: ATOM.time(0), entryPrice: ATOM.entry,
                                exitTime: ATOM.time(1), exitPrice: ATOM.entry, exitReason: .stopLoss, grossPnL: Money(units: -150),
                                fees: .zero, funding: .zero, leverage: 2)
        #expect(rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.30")], at: 2, trades: [trade]))).map(\.category) == [.resolved])
        let daily = rules.on(.snapshot(ATOM.snapshot([ATOM.monitored(price: "2.40")], at: 3, trades: [trade], risk: .halted)))
        let message = try #require(daily.first)
        #expect(message.rule == "daily_loss" && message.severity == .critical)
        #expect(message.title == "Daily loss -2.25% of equity (risk HALTED)")
        #expect(message.lines.contains(AlertMessage.Line("Risk engine", "HALTED: no new entries")))
    }

    @Test("runtime alerts: forwarded at or above the severity, once per kind and symbol per window, repeats counted")
    func runtimeAlertsRepeatWindow() {
        var rules = AlertRules(settings: Self.only {
            $0.runtimeAlertsMinimum = .warning
            $0.repeatWindow = .seconds(60)
        })
        func watchdog(_ second: Int64) -> AlertRuleInput {
            .runtimeAlert(Alert(severity: .critical, kind: "watchdog.beyond_stop", message: "force-closing at market", symbol: "ATOMUSDT", time: ATOM.time(second)))
        }
        #expect(rules.on(watchdog(0)).map(\.title) == ["ATOMUSDT watchdog force-close: price beyond the stop"])
        #expect(rules.on(watchdog(5)).isEmpty)
        #expect(rules.on(watchdog(10)).isEmpty)
        let again = rules.on(watchdog(61))
        #expect(again.first?.lines.last == AlertMessage.Line(nil, "(2 more like it were not sent in the last 60 s)"))
        // Info is not forwarded at the warning level; a routine warning (entry blocked) counts as info.
        #expect(rules.on(.runtimeAlert(Alert(severity: .info, kind: "runtime.manual_close", message: "x", symbol: nil, time: ATOM.time(70)))).isEmpty)
        #expect(rules.on(.runtimeAlert(Alert(severity: .warning, kind: "runtime.entry_blocked", message: "x", symbol: "ATOMUSDT", time: ATOM.time(70)))).isEmpty)
    }

    @Test("order rejections in a row, and a manual halt resolved by the resume (the runtime's own alerts absorbed)")
    func rejectionsAndManualHalt() {
        var rules = AlertRules(settings: Self.only {
            $0.orderRejections = true
            $0.manualHalt = true
            $0.runtimeAlertsMinimum = .warning
        })
        let rejected = { (second: Int64) in
            AlertRuleInput.runtimeAlert(Alert(severity: .warning, kind: "kernel.entry_rejected", message: "rejected", symbol: "ATOMUSDT", time: ATOM.time(second)))
        }
        #expect(rules.on(rejected(1)).map(\.rule) == ["runtime:kernel.entry_rejected"])
        #expect(rules.on(rejected(2)).isEmpty)
        #expect(rules.on(rejected(3)).map(\.rule) == ["order_rejections"])
        #expect(rules.on(.runtimeAlert(Alert(severity: .critical, kind: "runtime.manual_halt", message: "halt", symbol: nil, time: ATOM.time(4)))).isEmpty)
        var halted = ATOM.snapshot([], at: 5)
        halted.manualHalt = "by telegram @trader: news"
        #expect(rules.on(.snapshot(halted)).map(\.rule) == ["manual_halt"])
        #expect(rules.on(.snapshot(ATOM.snapshot([], at: 6))).map(\.category) == [.resolved])
        #expect(rules.on(.timer(ATOM.time(700))).map(\.category) == [.resolved])  // the rejections left the window
    }

    @Test("beyond the rate limit non-critical messages wait for one digest; critical ones are never held")
    func rateLimitAndDigest() throws {
        var rules = AlertRules(settings: Self.only {
            $0.runtimeAlertsMinimum = .warning
            $0.burst = 2
            $0.messagesPerMinute = 6
        })
        var sent: [AlertMessage] = []
        for index in 0..<5 {
            sent += rules.on(.runtimeAlert(Alert(severity: .warning, kind: "exit.close_failed", message: "failed \(index)", symbol: Symbol("S\(index)USDT"),
                                                 time: ATOM.time(0))))
        }
        sent += rules.on(.runtimeAlert(Alert(severity: .critical, kind: "watchdog.beyond_stop", message: "x", symbol: "ATOMUSDT", time: ATOM.time(0))))
        #expect(sent.count == 3)  // two warnings and the critical
        #expect(sent.last?.severity == .critical)
        #expect(rules.heldMessages == 3)
        #expect(rules.on(.timer(ATOM.time(5))).isEmpty)  // 6 per minute: one token after 10 s
        let digest = try #require(rules.on(.timer(ATOM.time(10))).first)
        #expect(digest.category == .digest && digest.lines.count == 3)
        #expect(digest.title == "3 alert(s) held back by the rate limit")
        #expect(rules.heldMessages == 0)
    }

    @Test("lifecycle messages always; the heartbeat only when configured")
    func lifecycleAndHeartbeat() {
        var quiet = AlertRules(settings: Self.only { $0.lifecycle = true })
        #expect(quiet.on(.started(time: ATOM.time(0), detail: "live on testnet: ATOMUSDT")).map(\.title) == ["QuantumTrader started"])
        #expect(quiet.on(.timer(ATOM.time(7200))).isEmpty)
        #expect(quiet.on(.stopping(time: ATOM.time(7201), detail: "1 position left open")).map(\.severity) == [.warning])
        var beating = AlertRules(settings: Self.only { $0.heartbeatInterval = .seconds(3600) })
        _ = beating.on(.started(time: ATOM.time(0), detail: ""))
        #expect(beating.on(.timer(ATOM.time(3599))).isEmpty)
        #expect(beating.on(.timer(ATOM.time(3600))).map(\.category) == [.heartbeat])
    }

    @Test("a failing channel is reported through the others, and resolved when it delivers again")
    func deliveryFailures() {
        var rules = AlertRules(settings: Self.only { _ in })
        let failed = rules.on(.deliveryFailed(channel: "telegram", detail: "5 attempt(s) failed, last: HTTP 500", time: ATOM.time(1)))
        #expect(failed.map(\.rule) == ["delivery_failed"])
        #expect(failed.first?.excludedChannel == "telegram")
        #expect(rules.on(.deliveryFailed(channel: "telegram", detail: "again", time: ATOM.time(2))).isEmpty)
        #expect(rules.on(.deliveryRecovered(channel: "telegram", time: ATOM.time(3))).map(\.category) == [.resolved])
    }
}
