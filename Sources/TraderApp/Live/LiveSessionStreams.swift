import BinanceFutures
import TradingEngine
import TradingModel

/// The stream tasks of an opened live session: the market streams and their resync, the
/// user-data stream, and the client's reports, notices and dropped messages, all feeding the
/// session's one input stream. Run until cancelled (a service of the trader's group, or a child
/// of the session's task group).
struct LiveSessionStreams: Sendable {
    let streams: LiveStreams
    let market: MarketStreamReconnects
    let client: BinanceExecutionClient

    func run() async {
        let (streams, market, client, inputs) = (streams, market, client, streams.inputs)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await streams.runMarketStreams(connector: market) }
            group.addTask { await streams.resyncAfterMarketReconnects(market) }
            group.addTask { for await event in client.executionEvents() { inputs.yield(.execution(event)) } }
            group.addTask { for await notice in client.venueNotices() { inputs.yield(.venueNotice(notice)) } }
            group.addTask { await streams.userDataStream(client).run() }
            group.addTask { await streams.droppedUserDataMessages(client) }
        }
    }
}
