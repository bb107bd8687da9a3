import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// The stream tasks of a `LiveSession`: market streams, the resync after their reconnects and
/// the user-data stream, all feeding the session's one input stream (`inputs`).
struct LiveStreams: Sendable {
    let websocketURL: String
    let connector: any WebSocketConnector
    let symbols: [Symbol]
    let clock: any TradingClock
    let seed: UInt64
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    let inputs: AsyncStream<RuntimeInput>.Continuation

    /// The combined market streams, each connection reconnecting with back-off. Dropped messages
    /// (unparseable or absurd) reach the runtime as `.venueMessageDropped`.
    func runMarketStreams(connector: MarketStreamReconnects) async {
        let feed = BinanceMarketDataFeed(urls: BinanceStreamURLs(base: websocketURL), connector: connector, clock: clock, seed: seed,
                                         logger: logger, sleep: sleep,
                                         onProblem: { [inputs] problem in inputs.yield(.venueMessageDropped(LiveStreams.dropped(problem))) })
        await feed.run(symbols: symbols) { inputs.yield(.market($0)) }
    }

    /// User-data messages the client dropped, as runtime inputs.
    func droppedUserDataMessages(_ client: BinanceExecutionClient) async {
        for await problem in client.streamProblems() { inputs.yield(.venueMessageDropped(LiveStreams.dropped(problem))) }
    }

    /// Reads the venue's listing of the session's symbols again (off the runtime's loop); nil
    /// when it cannot be read now (logged; tried again later).
    func refreshInstruments(_ client: BinanceExecutionClient) async -> [InstrumentStatus]? {
        do throws(ExecutionError) {
            return try await client.refreshInstruments(symbols).map {
                InstrumentStatus(symbol: $0.symbol, instrument: $0.instrument, entryRefusal: $0.refusal)
            }
        } catch {
            logger.warning("live.instrument_refresh_failed", metadata: ["live.error": "\(error)"])
            return nil
        }
    }

    static func dropped(_ problem: BinanceStreamProblem) -> DroppedVenueMessage {
        DroppedVenueMessage(stream: problem.stream == .userData ? .userData : .market, reason: problem.error.description,
                            receivedAt: problem.receivedAt)
    }

    /// Reconciles through the loop after every market-stream reconnect (retried with back-off
    /// until it succeeds), then lets the connector release the entry hold.
    func resyncAfterMarketReconnects(_ market: MarketStreamReconnects) async {
        var policy = ReconnectPolicy(seed: seed &+ 0xA11)
        for await url in market.reconnects {
            logger.warning("live.market_stream_reconnected_reconciling", metadata: ["live.url": "\(url)"])
            while !Task.isCancelled {
                let reply = ReconcileReply()
                inputs.yield(.reconcile(reply: reply))
                if await reply.value() {
                    policy.connectionSucceeded()
                    market.resynced()
                    break
                }
                do { try await sleep(policy.delayAfterFailure()) } catch { return }
            }
        }
    }

    /// The user-data stream: its resync step `.positions` reconciles through the loop (it reads
    /// positions, open orders and open algo orders in one step, so the open-order reads of the
    /// resync are covered by it); its entry hold is the runtime's `.venueStreamInSync`.
    func userDataStream(_ client: BinanceExecutionClient) -> BinanceUserDataStream {
        BinanceUserDataStream(
            client: client, urls: BinanceStreamURLs(base: websocketURL), connector: connector, clock: clock, seed: seed &+ 0x05E7,
            logger: logger, sleep: sleep,
            performResync: { [inputs] call in
                switch call {
                case .positions:
                    let reply = ReconcileReply()
                    inputs.yield(.reconcile(reply: reply))
                    return await reply.value()
                case .openOrders, .openAlgoOrders, .account:
                    // Read by the reconciliation at `.positions`; the account's wallet is the
                    // runtime's own ledger (not replaced from the venue).
                    return true
                }
            },
            setEntriesAllowed: { [inputs] allowed in inputs.yield(.venueStreamInSync(allowed)) })
    }
}
