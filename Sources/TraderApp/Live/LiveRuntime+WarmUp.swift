import TradingEngine
import TradingModel

/// Fetches the closed klines of a symbol opening in `[start, end]` (the session's REST client).
public typealias KlineFetch = @Sendable (Symbol, Timestamp, Timestamp) async throws -> [Candle]

/// The warm-up of a live runtime: per symbol, the contiguous history fed so far and a way to
/// bridge a gap from REST.
struct WarmUpState: Sendable {
    let plan: WarmUpPlan
    var progress: [WarmUpProgress]
    let fetch: KlineFetch?
}

/// History back-fill at start: closed klines go through the same `kernel.onBar` as live ones
/// (the gate observes them: the validator's hourly history; the strategy's EMAs advance), but a
/// signal made from history is dropped, nothing is sent, and market-data freshness and the risk
/// engine's equity are not touched. Entries of a symbol stay blocked until its contiguous history
/// covers the plan (fail closed): a failed back-fill or a gap is alerted and the warm-up goes on
/// from the live klines. A live kline already fed from the back-fill is skipped; minutes missing
/// between the back-fill and the first live kline (or any later gap in the live klines, e.g. a
/// stream reconnect) are fetched from REST before it; if that fails, a warming symbol's contiguous
/// run restarts, and a warm symbol's strategy sees the gap (`ml-ensemble` restarts its features).
extension LiveRuntime {
    /// Starts the warm-up: every symbol blocked until its history is complete.
    public func beginWarmUp(_ plan: WarmUpPlan, fetch: KlineFetch?) {
        warmUp = WarmUpState(plan: plan, progress: kernel.instruments.map { _ in WarmUpProgress(plan: plan) }, fetch: fetch)
    }

    /// Feeds back-filled klines of `symbol` (oldest first) and reports what they covered.
    /// Gaps inside them are alerted; entries stay blocked until the history is complete.
    @discardableResult
    public func loadHistory(_ candles: [Candle], symbol: Symbol, requestedFrom start: Timestamp) async -> (hours: Int, ready: Bool) {
        guard let index = index(of: symbol), let plan = warmUp?.plan else { return (0, false) }
        var gaps = 0
        var missing = 0
        if let first = candles.first, first.openTime > start {
            missing += Int((first.openTime.milliseconds - start.milliseconds) / WarmUpProgress.minute)
        }
        for candle in candles {
            if case .gap(let count) = warmUp!.progress[index].classify(candle.openTime) {
                gaps += 1
                missing += count
            }
            feedHistory(candle, symbolIndex: index)
        }
        // history is not part of the run's equity curve: its samples are never written
        recordedEquitySamples = max(recordedEquitySamples, kernel.equityCurve.samples.count)
        let progress = warmUp!.progress[index]
        if !progress.ready {
            let why = candles.isEmpty ? "the back-fill returned no klines"
                : gaps > 0 ? "the back-fill has \(gaps) gap(s), \(missing) minute(s) missing"
                : "the back-fill covers only \(progress.completeHours) complete hours"
            warmUp!.progress[index].problem = why
            raise(Alert(severity: .warning, kind: "runtime.warm_up_incomplete",
                        message: "\(symbol) history incomplete: \(why); entries blocked until \(plan.requiredHours) hours of contiguous 1m klines "
                            + "(\(plan.strategyBars) bars) are in; the warm-up continues from the live stream",
                        symbol: symbol, time: now))
        }
        await deliverAlerts()
        return (progress.completeHours, progress.ready)
    }

    /// The back-fill of `symbol` failed: nothing loaded, entries blocked until the live stream has
    /// delivered the plan's history.
    public func historyUnavailable(symbol: Symbol, reason: String) async {
        guard let index = index(of: symbol), let plan = warmUp?.plan else { return }
        warmUp!.progress[index].problem = "back-fill failed: \(reason)"
        raise(Alert(severity: .warning, kind: "runtime.warm_up_failed",
                    message: "\(symbol) history back-fill failed (\(reason)); entries blocked until \(plan.requiredHours) hours of contiguous "
                        + "1m klines (\(plan.strategyBars) bars) have streamed in live",
                    symbol: symbol, time: now))
        await deliverAlerts()
    }

    /// Whether the warm-up of `symbol` is complete (true when no warm-up was started).
    public func isWarm(_ symbol: Symbol) -> Bool {
        guard let warmUp, let index = index(of: symbol) else { return true }
        return warmUp.progress[index].ready
    }

    /// Why entries of symbol `index` wait for history, or nil.
    func warmUpBlockReason(symbolIndex index: Int) -> String? { warmUp?.progress[index].blockReason }

    /// A live closed kline of symbol `index`: false when it must be skipped (already fed from
    /// the back-fill). A gap is bridged from REST once; if that fails it is alerted (and a
    /// warming symbol's contiguous run restarts).
    func admitLiveCandle(_ candle: Candle, interval: Duration, symbolIndex index: Int) async -> Bool {
        guard let state = warmUp, interval == state.plan.barInterval else { return true }
        let progress = state.progress[index]
        switch progress.classify(candle.openTime) {
        case .duplicate:
            return false
        case .next:
            break
        case .gap(let missing):
            guard let lastOpen = progress.lastOpen else { break }
            let symbol = kernel.instruments[index].symbol
            let from = lastOpen.advanced(by: interval)
            let to = Timestamp(milliseconds: candle.openTime.milliseconds - WarmUpProgress.minute)
            var bridged = false
            if let fetch = state.fetch, let rows = try? await fetch(symbol, from, to) {
                for row in rows where row.openTime >= from && row.openTime <= to { feedHistory(row, symbolIndex: index) }
                bridged = warmUp!.progress[index].classify(candle.openTime) == .next
            }
            if !bridged {
                warmUp!.progress[index].problem = "\(missing) minute(s) missing before \(candle.openTime)"
                raise(Alert(severity: .warning, kind: "runtime.warm_up_gap",
                            message: "\(symbol): \(missing) 1m kline(s) missing before \(candle.openTime) and not back-filled; "
                                + (progress.ready ? "the strategy and the validator go on without them (ml-ensemble restarts its features)"
                                    : "the warm-up restarts from the live stream, entries stay blocked"), symbol: symbol, time: now))
            }
        }
        if warmUp!.progress[index].accept(candle.openTime) { announceWarm(symbolIndex: index) }
        warmUp!.progress[index].sawLive = true
        return true
    }

    /// One back-filled kline through the kernel's bar path; a signal it makes is dropped.
    private func feedHistory(_ candle: Candle, symbolIndex index: Int) {
        guard let interval = warmUp?.plan.barInterval, warmUp!.progress[index].classify(candle.openTime) != .duplicate else { return }
        var scratch: [KernelAction] = []
        kernel.onBar(candle, interval: interval, closeTime: candle.openTime.advanced(by: interval), symbolIndex: index, into: &scratch)
        _ = kernel.dropPendingSignal(symbolIndex: index)
        for action in scratch {
            // A bar close emits only the strategy's alerts (a model that could not answer).
            if case .alert(let alert) = action { raise(alert) } else { assertionFailure("a bar close produced \(action) during warm-up") }
        }
        if warmUp!.progress[index].accept(candle.openTime) { announceWarm(symbolIndex: index) }
    }

    private func announceWarm(symbolIndex index: Int) {
        let progress = warmUp!.progress[index]
        let symbol = kernel.instruments[index].symbol
        raise(Alert(severity: .info, kind: "runtime.warm_up_complete",
                    message: "\(symbol) warmed up: \(progress.completeHours) complete hours, \(progress.runBars) contiguous 1m bars; entries allowed",
                    symbol: symbol, time: now))
    }
}
