import TradingEngine
import TradingModel
import CoreMetrics

/// Market data in the live runtime: candles close bars, prices of the session's source are the
/// kernel's price events (then the watchdog), and every stream's freshness and silence is judged.
extension LiveRuntime {
    func onMarket(_ event: MarketEvent) async {
        guard let index = index(of: event.symbol) else { return }
        noteFreshness(event, symbolIndex: index)
        switch event {
        case .candle(_, let candle, let interval):
            guard await admitLiveCandle(candle, interval: interval, symbolIndex: index) else { return }
            metrics.bars.increment()
            let closeTime = candle.openTime.advanced(by: interval)
            kernel.onBar(candle, interval: interval, closeTime: closeTime, symbolIndex: index, into: &actions)
            lastEventTime = closeTime
            await pump()
            await barClosed(time: closeTime)
            heartbeatExitStates()
        case .markPrice(let mark):
            guard settings.priceSource == .markPrice else { return }
            await point(Self.priceEvent(mark.symbol, mark.price, .markPrice, eventTime: mark.eventTime, receiveTime: mark.receiveTime),
                        symbolIndex: index)
        case .trade(let trade):
            guard settings.priceSource == .lastTrade else { return }
            await point(Self.priceEvent(trade.symbol, trade.price, .lastTrade, eventTime: trade.tradeTime, receiveTime: trade.receiveTime),
                        symbolIndex: index)
        case .funding:
            // Funding is booked from the venue's reports: a simulated client settles it itself
            // (`fundingPaid`); Binance's stream reports none, so its funding reaches the ledger
            // only through the wallet re-read at reconciliation (`resyncWallet`).
            await pump()
        }
    }

    /// Marks the event's stream of the symbol stale when the event arrives later than
    /// `maxMarketDataLag`, fresh otherwise. Judged streams: the price-driving one (mark price or
    /// trades) and klines.
    func noteFreshness(_ event: MarketEvent, symbolIndex index: Int) {
        let stream: MarketFreshness.Stream
        switch event {
        case .candle: stream = .klines
        case .markPrice where settings.priceSource == .markPrice, .trade where settings.priceSource == .lastTrade: stream = .prices
        default: return
        }
        let symbol = kernel.instruments[index].symbol
        let key = MarketFreshness.Key(symbol: index, stream: stream)
        let received = now
        let lag = received.since(event.time)
        if lag > settings.maxMarketDataLag {
            if freshness.late(key) {
                raise(Alert(severity: .warning, kind: "runtime.market_data_stale",
                            message: "\(symbol) \(stream.rawValue) arrive \(lag) late (limit \(settings.maxMarketDataLag)); entries blocked",
                            symbol: symbol, time: received))
            }
        } else if freshness.received(key, at: received), !freshness.isStale(symbol: index) {
            raise(Alert(severity: .info, kind: "runtime.market_data_fresh", message: "\(symbol) market data is fresh again; entries allowed",
                        symbol: symbol, time: received))
        }
    }

    /// On a live timer tick: a stream of a symbol silent beyond its limit (prices
    /// `maxMarketDataSilence`, klines `maxKlineSilence`; a stream that never delivered counts from
    /// the first reconciliation) blocks the symbol's entries, is alerted (CRITICAL with a position
    /// open) and forces a market-stream reconnect (again every limit while it stays silent).
    func checkSilence(at time: Timestamp) {
        let limit: (MarketFreshness.Stream) -> Duration = { [settings] in $0 == .prices ? settings.maxMarketDataSilence : settings.maxKlineSilence }
        for (key, silence, newly) in freshness.silent(at: time, symbols: kernel.instruments.count, limit: limit) {
            let symbol = kernel.instruments[key.symbol].symbol
            if newly {
                let open = kernel.portfolio.slots[key.symbol] != nil
                raise(Alert(severity: open ? .critical : .warning, kind: "runtime.market_data_silent",
                            message: "no \(symbol) \(key.stream.rawValue) for \(silence); entries blocked, market streams reconnecting"
                                + (open ? "; the open position stays protected by its exchange backstop" : ""),
                            symbol: symbol, time: time))
            }
            if let marketReconnect, freshness.reconnectDue(key, at: time, interval: limit(key.stream)) {
                marketReconnect("\(symbol) \(key.stream.rawValue) silent for \(silence)")
            }
        }
    }

    /// The session's hook that reconnects the market streams (forced after a silence).
    public func setMarketReconnect(_ reconnect: @escaping @Sendable (String) -> Void) { marketReconnect = reconnect }

    /// The price event of a stream's price, with the stream's receive time: what the exit owner
    /// measures its level-to-order latency and heartbeat by, and the watchdog its checks. Never
    /// before the venue's event time: a local clock behind the venue's, or a replayed venue
    /// whose clock moves to each event only after the stream stamped it, counts the price as
    /// received when it happened (as a backtest does).
    static func priceEvent(_ symbol: Symbol, _ price: Price, _ source: PriceEvent.Source, eventTime: Timestamp,
                           receiveTime: Timestamp) -> PriceEvent {
        PriceEvent(symbol: symbol, price: price, source: source, eventTime: eventTime, receiveTime: max(receiveTime, eventTime))
    }

    /// One price point, with the venue's time and our receive time (the stream's): venue reports
    /// that arrived before it first (a simulated execution client that follows the market data
    /// fills and triggers at this price before the runtime sees it), then the kernel (a pending
    /// signal, the exit owner), then the watchdog, both given the same event.
    func point(_ event: PriceEvent, symbolIndex index: Int) async {
        lastEventTime = event.eventTime
        metrics.priceEvents.increment()
        priceEventStartedAt = metrics.startedAt()
        defer { priceEventStartedAt = nil }
        await pump()
        if kernel.hasPendingSignal(at: index), let reason = entryBlockReason(symbolIndex: index), let signal = kernel.dropPendingSignal(symbolIndex: index) {
            blockEntry(signal, reason: reason)
        }
        kernel.onPrice(event, symbolIndex: index, into: &actions)
        await pump()
        // The watchdog learns the owner's state as of this price (the executor saves only on
        // changes; without this a quiet, healthy executor would look silent).
        if let owner = kernel.symbols[index].owner, let status = statusOf(owner) { _ = supervisor.on(.ownerStatus(status)) }
        await performWatchdog(supervisor.on(.price(event)))
    }
}
