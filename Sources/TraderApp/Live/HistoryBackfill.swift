import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// The live start-up's history back-fill: per symbol, the plan's closed 1 m klines from
/// `GET /fapi/v1/klines` (paged, weight-accounted) into the runtime's warm-up
/// (`LiveRuntime.loadHistory`), before reconciliation. A rate-limit or transient failure is
/// retried (after the venue's wait) up to `attempts` times; then the symbol's back-fill has
/// failed: alerted, entries blocked, the warm-up continues from the live stream.
struct HistoryBackfill: Sendable {
    let plan: WarmUpPlan
    let client: BinanceExecutionClient
    let logger: Logger
    let pause: @Sendable (Duration) async -> Void
    var attempts = 3

    func run<Strategy, Gate, Exit>(symbols: [Symbol], into runtime: LiveRuntime<Strategy, Gate, Exit>) async {
        let (client, plan) = (client, plan)
        await runtime.beginWarmUp(plan, fetch: { symbol, start, end in
            try await client.klineHistory(symbol: symbol, interval: plan.intervalName, length: plan.barInterval, start: start, end: end).candles
        })
        for symbol in symbols {
            let range = plan.range(now: client.serverNow)
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
                logger.error("live.warm_up_failed", metadata: ["live.symbol": "\(symbol)", "live.error": "\(error)"])
                await runtime.historyUnavailable(symbol: symbol, reason: error.message)
            }
        }
    }

    private func fetch(_ symbol: Symbol, start: Timestamp, end: Timestamp) async throws(ExecutionError) -> KlineHistory {
        var attempt = 1
        while true {
            do {
                return try await client.klineHistory(symbol: symbol, interval: plan.intervalName, length: plan.barInterval, start: start, end: end)
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
