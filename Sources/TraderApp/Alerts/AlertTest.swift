import Alerts
import TradingEngine
import TradingModel

/// `qt alerts test`: one test message through each configured notifier, recorded in the store.
public enum AlertTest {
    public struct Outcome: Sendable {
        public var channel: String
        public var delivered: Bool
        public var detail: String
    }

    public static func send(settings: AlertSettings, secrets: AlertSecrets, store: any TradeStore,
                            environment: AlertServices.Environment) async -> [Outcome] {
        let services = AlertServices(settings: settings, secrets: secrets, store: store, sessionLabel: "qt alerts test", console: nil,
                                     priceSource: .markPrice, environment: environment)
        let now = environment.clock.now
        let message = AlertMessage(category: .test, rule: "test", severity: .info, symbol: nil, title: "QuantumTrader test message",
                                   lines: [AlertMessage.Line(nil, "If you read this, alerts reach you here."),
                                           AlertMessage.Line("Sent", now.iso8601)], time: now)
        var outcomes: [Outcome] = []
        for queue in services.queues {
            let id = try? store.recordNotification(NotificationRecord(runID: nil, channel: queue.channel, category: .test, rule: "test",
                                                                      severity: .info, symbol: nil, text: message.plainText, createdAt: now))
            let result = await queue.deliverNow(DeliveryQueue.Item(message: message, recordID: id))
            outcomes.append(Outcome(channel: queue.channel, delivered: result.delivered, detail: result.detail))
        }
        return outcomes
    }
}
