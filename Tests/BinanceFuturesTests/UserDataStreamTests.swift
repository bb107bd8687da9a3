import BinanceFutures
import Logging
import Testing
import TradingEngine
import TradingTestSupport
import TradingModel

@Suite("User data stream runner")
struct UserDataStreamTests {
    /// Key K1 → connect → resync → events flow → listenKeyExpired → new key K2 → reconnect → full
    /// resync again, with entries held in between and allowed only when back in sync.
    @Test(.timeLimit(.minutes(5))) func expiredKeyLeadsToNewKeyReconnectAndResync() async throws {
        let (client, transport, clock, _, _) = makeClient([
            ok(#"{"listenKey":"K1"}"#),
            ok(#"{"listenKey":"K2"}"#),
        ])
        let expired = Array(#"{"e":"listenKeyExpired","E":1700000000000,"listenKey":"K1"}"#.utf8)
        let connector = ScriptedConnector([([try fixture("ws_user_ORDER_TRADE_UPDATE_new.json"), expired], .close)])
        let resyncCalls = Observed<StreamResyncStateMachine.ResyncCall>()
        let entries = Observed<Bool>()
        let runner = BinanceUserDataStream(
            client: client, urls: BinanceStreamURLs(base: "ws://127.0.0.1:9"), connector: connector, clock: clock, seed: 11,
            logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }),
            sleep: { duration in
                if duration >= .seconds(30 * 60) {  // keep-alive timer: never fires in this test
                    await suspendUntilCancelled()
                    throw CancellationError()
                }
            },
            performResync: { call in resyncCalls.append(call); return true },
            setEntriesAllowed: { entries.append($0) })
        var events = client.executionEvents().makeAsyncIterator()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await runner.run() }
            await entries.wait { values in values.last == true && connector.connectedURLs.count == 2 }
            group.cancelAll()
        }
        #expect(connector.connectedURLs == ["ws://127.0.0.1:9/private/ws?listenKey=K1", "ws://127.0.0.1:9/private/ws?listenKey=K2"])
        #expect(transport.requests.map(\.path) == ["/fapi/v1/listenKey", "/fapi/v1/listenKey"])
        #expect(entries.values.first == false && entries.values.last == true)
        // The second connection resynced every view from REST.
        let calls = resyncCalls.values
        #expect(Set(calls.suffix(4)) == Set(StreamResyncStateMachine.ResyncCall.allCases))
        let first = await events.next()
        #expect(first == .accepted(ClientOrderID("TEST")!, symbol: "BTCUSDT", venueOrderID: "8886774", time: Timestamp(milliseconds: 1_568_879_465_651)))
    }
}
