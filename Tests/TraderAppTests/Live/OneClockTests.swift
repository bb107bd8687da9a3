import BinanceFutures
import Foundation
import Logging
import Testing
import TraderApp
import TradingEngine
import TradingModel

/// One clock: the venue's time offset is applied to the runtime's clock; a skew beyond 1 s refuses
/// to start; the session's clock is the venue's time base.
@Suite("Live session: one clock (the venue's time base)")
struct OneClockTests {
    static func startUp(serverTime: Int64) -> ScriptedBinanceTransport {
        let exchangeInfo = try! Data(contentsOf: URL(fileURLWithPath: BacktestConfigTests.root
            + "/Tests/BinanceFuturesTests/Fixtures/rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json"))
        return ScriptedBinanceTransport([
            BinanceLiveSessionTests.json(#"{"serverTime":\#(serverTime)}"#), BinanceLiveSessionTests.json(#"{"dualSidePosition":false}"#),
            HTTPResponseData(status: 200, body: Array(exchangeInfo)), BinanceLiveSessionTests.json(BinanceLiveSessionTests.brackets),
            BinanceLiveSessionTests.json(#"{"code":200,"msg":"success"}"#),
            BinanceLiveSessionTests.json(#"[{"accountAlias":"x","asset":"USDT","balance":"1000"}]"#),
        ])
    }

    @Test("One clock: a local clock 2 s off the venue's refuses to start, naming the skew and what to do")
    func skewBeyondOneSecondRefused() async throws {
        let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
        do {
            _ = try await BinanceLiveSession.open(transport: Self.startUp(serverTime: 1_700_000_002_000), credentials: BinanceLiveSessionTests.credentials,
                                                  symbols: ["ATOMUSDT"], clock: clock, logger: Logger(label: "test"), pause: { _ in })
            Issue.record("a 2 s skew was accepted")
        } catch {
            #expect(error.message.contains("2000 ms") && error.message.contains("NTP"))
        }
    }

    @Test("One clock: within the limit, the session's clock is the venue's (local clock + measured offset); deadlines use it")
    func offsetAppliedToTheRuntimeClock() async throws {
        let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
        let session = try await BinanceLiveSession.open(transport: Self.startUp(serverTime: 1_700_000_000_800),
                                                        credentials: BinanceLiveSessionTests.credentials, symbols: ["ATOMUSDT"], clock: clock,
                                                        logger: Logger(label: "test"), pause: { _ in })
        #expect(session.clock.now == Timestamp(milliseconds: 1_700_000_000_800))
        clock.set(Timestamp(milliseconds: 1_700_000_010_000))
        #expect(session.clock.now == Timestamp(milliseconds: 1_700_000_010_800))
        #expect(session.client.serverNow == session.clock.now)
    }

    @Test("One clock: the REST NEW answer counts as the backstop's acceptance; no stream report needed, no retry, no market close")
    func restNewAnswerAcceptsTheBackstop() async throws {
        let harness = try LiveHarness()
        harness.client.inject(.backstopReportsLost)
        try await harness.runtime.reconcile()
        await harness.closeSignalBar()
        await harness.mark("2.224", at: 60)
        #expect(await harness.runtime.state.positions.first?.backstopPrice == Price("2.256")!)
        // Past the backstop deadline and the watchdog's limit: nothing more is sent.
        for second in Int64(61)...80 {
            harness.clock.set(LiveHarness.time(second))
            await harness.mark("2.224", at: second)
            await harness.runtime.handle(.timer(LiveHarness.time(second)))
        }
        #expect(harness.client.submittedOrders.map(\.type) == [.market, .stopMarket])
        #expect(await harness.runtime.openPositions.count == 1)
    }
}
