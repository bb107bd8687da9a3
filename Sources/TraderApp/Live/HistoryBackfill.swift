import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// Where a back-fill reads closed klines: `GET /fapi/v1/klines` of a Binance(-compatible) venue,
/// through the live session's signed client or, for `qt paper --venue`, a REST client without
/// keys (klines are public market data).
public protocol KlineHistorySource: Sendable {
    /// Closed klines of `symbol` opening in `[start, end]`, paged, oldest first.
    func klineHistory(symbol: Symbol, interval: String, length: Duration, start: Timestamp, end: Timestamp,
                      pageLimit: Int) async throws(ExecutionError) -> KlineHistory
    /// The venue's clock as estimated from the last server-time sync.
    var serverNow: Timestamp { get }
    /// Brings `serverNow` in line with the venue (`GET /fapi/v1/time`) when it has not been yet.
    func syncVenueClock() async throws(ExecutionError)
}

extension BinanceExecutionClient: KlineHistorySource {
    /// The live session synced the clock when it opened.
    public func syncVenueClock() async throws(ExecutionError) {}
}

extension BinanceRESTClient: KlineHistorySource {
    public func syncVenueClock() async throws(ExecutionError) { try await syncServerTime() }
}

/// The start-up's history back-fill (`qt live` and `qt paper --venue` alike): per symbol, the
/// plan's closed 1 m klines from `GET /fapi/v1/klines` (paged, weight-accounted) into the
/// runtime's warm-up (`LiveRuntime.loadHistory`), before reconciliation. A rate-limit or transient
/// failure is retried at once (after the venue's wait, `pause`) up to `attempts` times; a symbol
/// whose back-fill still failed is fetched again in up to `retryDelays.count` later rounds, each
/// after its delay (`sleep`, doubling by default: 5, 10, 20 s). Then the symbol's back-fill has
/// failed: alerted, entries blocked, the warm-up continues from the live stream.
struct HistoryBackfill: Sendable {
    let plan: WarmUpPlan
    let source: any KlineHistorySource
    let logger: Logger
    /// Waits for the venue's rate-limit back-off between attempts of one fetch.
    let pause: @Sendable (Duration) async -> Void
    /// Waits between retry rounds; a throw (cancellation) ends the retries.
    let sleep: @Sendable (Duration) async throws -> Void
    var attempts = 3
    var retryDelays: [Duration] = [.seconds(5), .seconds(10), .seconds(20)]

    func run(symbols: [Symbol], into runtime: any RealTimeRuntime) async {
        let (source, plan) = (source, plan)
        await runtime.beginWarmUp(plan, fetch: { symbol, start, end in
            try await source.klineHistory(symbol: symbol, interval: plan.intervalName, length: plan.barInterval, start: start, end: end,
                                          pageLimit: BinanceRESTClient.klinePageLimit).candles
        })
        var pending = symbols
        var failures: [Symbol: ExecutionError] = [:]
        for round in 0...retryDelays.count {
            if round > 0 {
                logger.warning("live.warm_up_retrying", metadata: [
                    "live.symbols": "\(pending.map(\.name).joined(separator: ","))", "live.round": "\(round)",
                    "live.delay": "\(retryDelays[round - 1])",
                ])
                do { try await sleep(retryDelays[round - 1]) } catch { break }
            }
            pending = await backfill(pending, into: runtime, failures: &failures)
            if pending.isEmpty { break }
        }
        for symbol in pending {
            let error = failures[symbol]?.message ?? "not fetched"
            logger.error("live.warm_up_failed", metadata: ["live.symbol": "\(symbol)", "live.error": "\(error)"])
            await runtime.historyUnavailable(symbol: symbol, reason: error)
        }
    }

    /// One round: fetches and loads every symbol of `symbols`; returns those whose fetch failed.
    private func backfill(_ symbols: [Symbol], into runtime: any RealTimeRuntime, failures: inout [Symbol: ExecutionError]) async -> [Symbol] {
        do { try await source.syncVenueClock() } catch {
            for symbol in symbols { failures[symbol] = error }
            return symbols
        }
        var failed: [Symbol] = []
        for symbol in symbols {
            let range = plan.range(now: source.serverNow)
            do {
                let history = try await fetch(symbol, start: range.start, end: range.end)
                let loaded = await runtime.loadHistory(history.candles, symbol: symbol, requestedFrom: range.start)
                logger.info("live.warm_up_loaded", metadata: [
                    "live.symbol": "\(symbol)", "live.klines": "\(history.candles.count)", "live.klines_requested": "\(range.bars)",
                    "live.from": "\(range.start)", "live.to": "\(range.end)", "live.complete_hours": "\(loaded.hours)",
                    "live.required_hours": "\(plan.requiredHours)", "live.capped": "\(range.capped)", "live.ready": "\(loaded.ready)",
                    "live.requests": "\(history.requests)", "live.weight": "\(history.weight)",
                ])
            } catch {
                failures[symbol] = error
                failed.append(symbol)
            }
        }
        return failed
    }

    private func fetch(_ symbol: Symbol, start: Timestamp, end: Timestamp) async throws(ExecutionError) -> KlineHistory {
        var attempt = 1
        while true {
            do {
                return try await source.klineHistory(symbol: symbol, interval: plan.intervalName, length: plan.barInterval, start: start,
                                                     end: end, pageLimit: BinanceRESTClient.klinePageLimit)
            } catch {
                guard attempt < attempts else { throw error }
                switch error.kind {
                case .rateLimited(let wait): await pause(wait ?? .seconds(1))
                case .transient: await pause(.seconds(1))
                default: throw error
                }
                attempt += 1
            }
        }
    }
}
