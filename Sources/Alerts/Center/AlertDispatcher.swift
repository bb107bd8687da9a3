import CoreMetrics
import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel

/// Takes the alert center's messages, records each in the store — rule alerts in `alerts` (so
/// `qt status` and `/alerts` show them) and one `notifications` row per channel (`pending`) —
/// and offers it to every notifier queue except a message's excluded channel. A `Service`:
/// at graceful shutdown it hands over what is left and returns, before the queues drain.
public final class AlertDispatcher: Service, @unchecked Sendable {
    let center: AlertCenter
    let queues: [DeliveryQueue]
    let store: (any TradeStore)?
    /// The run the messages belong to (set once the session began its run).
    public let runID = WatchedValue<Int64?>(nil)
    let logger: Logger
    private let stopping = WatchedValue(false)
    /// Messages recorded and handed to the queues so far.
    public let dispatched = WatchedValue(0)

    /// Makes `qt_alerts_total{rule, severity}` (the process's swift-metrics backend by default).
    let metrics: any MetricsFactory

    public init(center: AlertCenter, queues: [DeliveryQueue], store: (any TradeStore)?, logger: Logger,
                metrics: any MetricsFactory = MetricsSystem.factory) {
        self.center = center
        self.queues = queues
        self.store = store
        self.logger = logger
        self.metrics = metrics
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await self.work()
        } onGracefulShutdown: {
            self.stopping.update { $0 = true }
        }
    }

    func work() async {
        while !Task.isCancelled {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.center.outbox.wait { !$0.isEmpty } }
                group.addTask { await self.stopping.wait { $0 } }
                await group.next()
                group.cancelAll()
            }
            dispatch(center.takeMessages())
            if stopping.current {
                dispatch(center.takeMessages())
                return
            }
        }
    }

    /// Records and queues `messages` now (also used directly by `qt alerts test`).
    public func dispatch(_ messages: [AlertMessage]) {
        let run = runID.current
        for message in messages {
            logger.notice("alerts.message", metadata: ["alerts.rule": "\(message.rule)", "alerts.severity": "\(message.severity.rawValue)",
                                                       "alerts.title": "\(message.title)"])
            if message.category == .alert {
                Counter(label: "qt_alerts_total", dimensions: [("rule", message.rule), ("severity", message.severity.rawValue.lowercased())],
                        factory: metrics).increment()
            }
            if !message.rule.hasPrefix("runtime:") && message.category != .test {
                write { try $0.recordAlert(AlertRecord(runID: run, alert: Alert(severity: message.severity, kind: AlertKind(.alerts, message.rule),
                                                                                 message: message.plainText, symbol: message.symbol,
                                                                                 time: message.time))) }
            }
            for queue in queues where queue.channel != message.excludedChannel {
                let id: Int64? = write {
                    try $0.recordNotification(NotificationRecord(runID: run, channel: queue.channel, category: message.category,
                                                                 rule: message.rule, severity: message.severity, symbol: message.symbol,
                                                                 text: message.plainText, createdAt: message.time))
                }
                queue.offer(DeliveryQueue.Item(message: message, recordID: id))
            }
            dispatched.update { $0 += 1 }
        }
    }

    /// Waits until every message produced so far was dispatched and every queue has nothing it
    /// could do before `clock` moves: idle with nothing queued, or waiting for a back-off that
    /// ends later than now (tests step the clock only then).
    public func settle(clock: any TradingClock) async {
        while !Task.isCancelled {
            let produced = center.produced.current
            await dispatched.wait { $0 >= produced }
            for queue in queues {
                await queue.state.wait { state in
                    if case .waiting(let until) = state.activity { return until > clock.now }
                    return state.isQuiescent
                }
            }
            if center.produced.current == produced { return }
        }
    }

    private func write<T>(_ body: (any TradeStore) throws -> T) -> T? {
        guard let store else { return nil }
        do { return try body(store) } catch {
            logger.error("alerts.history_write_failed", metadata: ["alerts.error": "\(error)"])
            return nil
        }
    }
}
