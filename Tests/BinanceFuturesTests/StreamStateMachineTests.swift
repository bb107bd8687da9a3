import BinanceFutures
import Testing
import TradingEngine
import TradingModel

@Suite("Stream URLs and state machines")
struct StreamStateMachineTests {
    let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    @Test func combinedStreamURLsUseRoutesAndLowerCase() {
        let urls = BinanceStreamURLs(base: "wss://fstream.binance.com/")
        #expect(urls.combinedStreamURLs(BinanceStream.standard(for: "ATOMUSDT") + [.markPrice1s("ATOMUSDT")]) == [
            "wss://fstream.binance.com/market/stream?streams=atomusdt@markPrice@1s/atomusdt@aggTrade/atomusdt@kline_1m",
            "wss://fstream.binance.com/public/stream?streams=atomusdt@bookTicker",
        ])
        #expect(urls.userDataURL(listenKey: "abc123") == "wss://fstream.binance.com/private/ws?listenKey=abc123")
        let local = BinanceStreamURLs(base: "ws://127.0.0.1:9001", maximumStreamsPerConnection: 2)
        #expect(local.combinedStreamURLs([.aggregateTrades("BTCUSDT"), .aggregateTrades("ETHUSDT"), .aggregateTrades("LINKUSDT")]) == [
            "ws://127.0.0.1:9001/market/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade",
            "ws://127.0.0.1:9001/market/stream?streams=linkusdt@aggTrade",
        ])
    }

    @Test func listenKeyIsExtendedEveryInterval() {
        var keepAlive = ListenKeyKeepAlive(keepAliveInterval: .seconds(30 * 60))
        #expect(keepAlive.start() == [.createListenKey])
        #expect(keepAlive.created("K1", at: t0) == [.connectUserStream(key: "K1"), .scheduleTick(at: t0.advanced(by: .seconds(1800)))])
        #expect(keepAlive.tick(at: t0.advanced(by: .seconds(600))) == [.scheduleTick(at: t0.advanced(by: .seconds(1800)))])
        let due = t0.advanced(by: .seconds(1800))
        #expect(keepAlive.tick(at: due) == [.extendListenKey("K1")])
        #expect(keepAlive.tick(at: due) == [])  // one PUT in flight at a time
        #expect(keepAlive.extended(at: due) == [.scheduleTick(at: due.advanced(by: .seconds(1800)))])
        #expect(keepAlive.currentKey == "K1")
    }

    @Test func transientKeepAliveFailureRetriesSoon() {
        var keepAlive = ListenKeyKeepAlive(retryDelay: .seconds(60))
        _ = keepAlive.start()
        _ = keepAlive.created("K1", at: t0)
        let due = t0.advanced(by: .seconds(1800))
        _ = keepAlive.tick(at: due)
        #expect(keepAlive.extendFailed(code: -1001, at: due) == [.scheduleTick(at: due.advanced(by: .seconds(60)))])
        #expect(keepAlive.tick(at: due.advanced(by: .seconds(60))) == [.extendListenKey("K1")])
    }

    /// Expiry (event or -1125) → new key → reconnect with it → REST resync, and the resync
    /// machine holds entries until every REST read is back.
    @Test func expiryCreatesNewKeyReconnectsAndResyncs() {
        var keepAlive = ListenKeyKeepAlive()
        _ = keepAlive.start()
        _ = keepAlive.created("K1", at: t0)
        var resync = StreamResyncStateMachine()
        _ = resync.connected(at: t0)
        for call in StreamResyncStateMachine.ResyncCall.allCases { _ = resync.restSucceeded(call, at: t0) }
        #expect(!resync.resyncRequired)

        let expiry = t0.advanced(by: .seconds(3700))
        #expect(keepAlive.expired(at: expiry) == [.createListenKey])
        #expect(resync.disconnected(at: expiry) == [.holdEntries])
        #expect(resync.resyncRequired)
        let created = expiry.advanced(by: .seconds(2))
        #expect(keepAlive.created("K2", at: created) == [.connectUserStream(key: "K2"), .resyncFromREST,
                                                         .scheduleTick(at: created.advanced(by: .seconds(1800)))])
        #expect(resync.connected(at: created) == [.performREST([.openOrders, .openAlgoOrders, .positions, .account])])
        #expect(resync.restSucceeded(.openOrders, at: created) == [])
        #expect(resync.restFailed(.positions) == [.performREST([.positions])])
        #expect(resync.restSucceeded(.openAlgoOrders, at: created) == [])
        #expect(resync.restSucceeded(.positions, at: created) == [])
        #expect(resync.restSucceeded(.account, at: created.advanced(by: .seconds(1))) == [.resumeTrading(gap: .seconds(3))])
        #expect(!resync.resyncRequired)

        // -1125 on a keep-alive is the same expiry.
        _ = keepAlive.tick(at: created.advanced(by: .seconds(1800)))
        #expect(keepAlive.extendFailed(code: -1125, at: created.advanced(by: .seconds(1800))) == [.createListenKey])
    }

    @Test func reconnectWhileLiveHoldsEntriesAndResyncs() {
        var resync = StreamResyncStateMachine()
        #expect(resync.connected(at: t0) == [.performREST([.openOrders, .openAlgoOrders, .positions, .account])])
        for call in StreamResyncStateMachine.ResyncCall.allCases.dropLast() { _ = resync.restSucceeded(call, at: t0) }
        #expect(resync.restSucceeded(.account, at: t0) == [.resumeTrading(gap: nil)])  // first start: no gap
        // A planned reconnect (new socket before the old one is closed) also resyncs.
        #expect(resync.connected(at: t0.advanced(by: .seconds(10))) == [.holdEntries, .performREST([.openOrders, .openAlgoOrders, .positions, .account])])
        // Dropping during a resync keeps the original gap start.
        #expect(resync.disconnected(at: t0.advanced(by: .seconds(11))) == [])
        #expect(resync.state == .disconnected(since: t0.advanced(by: .seconds(10))))
    }

    @Test func reconnectDelaysAreJitteredExponentialAndReproducible() {
        var policy = ReconnectPolicy(seed: 42, baseDelay: .seconds(1), maximumDelay: .seconds(60))
        var again = ReconnectPolicy(seed: 42, baseDelay: .seconds(1), maximumDelay: .seconds(60))
        var delays: [Duration] = []
        for attempt in 0..<10 {
            let delay = policy.delayAfterFailure()
            #expect(delay == again.delayAfterFailure())
            // ceiling = min(60 s, 1 s × 2^attempt); floor 250 ms
            #expect(delay >= .milliseconds(250) && delay <= min(.seconds(60), .seconds(1 << attempt)))
            delays.append(delay)
        }
        #expect(Set(delays).count > 5)  // jittered, not a fixed ladder
        var other = ReconnectPolicy(seed: 7)
        #expect((0..<10).map { _ in other.delayAfterFailure() } != delays)
        policy.connectionSucceeded()
        #expect(policy.consecutiveFailures == 0 && policy.delayAfterFailure() <= .seconds(1))
    }

    @Test func plannedReconnectComesBefore24Hours() {
        var policy = ReconnectPolicy(seed: 1)
        for _ in 0..<100 {
            let planned = policy.plannedReconnect(connectedAt: t0)
            #expect(planned >= t0.advanced(by: .seconds(23 * 3600)) && planned < t0.advanced(by: .seconds(24 * 3600)))
        }
    }
}

@Suite("Client order ids")
struct ClientOrderIDTests {
    @Test func generatorIsDeterministicAndWithinBinanceRules() {
        var first = ClientOrderIDGenerator(runTag: "r20261125a")
        var second = ClientOrderIDGenerator(runTag: "r20261125a")
        let ids = (0..<5).map { _ in first.next(.entry) }
        #expect(ids == (0..<5).map { _ in second.next(.entry) })
        #expect(Set(ids).count == 5)
        var large = ClientOrderIDGenerator(runTag: "abcdefghijkl", startingAt: 999_999_999_999_999)
        let longest = large.next(.backstop)
        #expect(longest.value.utf8.count <= 36)
        for id in ids + [longest] {
            // ^[.A-Z:/a-z0-9_-]{1,36}$
            #expect(id.value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".:/_-".contains($0)) })
        }
    }

    @Test func ownerRunTagsAndTheLongestPrefixFormatByteWise() {
        // `<base><separator><number>` as the kernel names an exit owner's ids: bt + p + 42.
        #expect(ClientOrderIDGenerator(runTag: "bt").derived(separator: UInt8(ascii: "p"), 42).runTag == "btp42")
        #expect(ClientOrderIDGenerator(runTag: "").derived(separator: UInt8(ascii: "p"), 0).runTag == "p0")
        var owner = ClientOrderIDGenerator(runTag: "bt").derived(separator: UInt8(ascii: "p"), 19_804)
        #expect(owner.next(.stopLoss).value == "qt-btp19804-1-sl")
        // A 12-character run tag fills the 16-byte inline prefix (`qt-` + 12 + `-`).
        var longest = ClientOrderIDGenerator(runTag: "abcdefghijkl", startingAt: 6)
        #expect(longest.next(.takeProfit).value == "qt-abcdefghijkl-7-tp")
    }

    @Test(arguments: ["", "has space", "ünïcode", "qt#1", String(repeating: "a", count: 37)])
    func invalidIDsAreRejected(_ text: String) {
        #expect(ClientOrderID(text) == nil)
    }

    @Test func boundaryIDsAreAccepted() {
        #expect(ClientOrderID(String(repeating: "a", count: 36)) != nil)
        #expect(ClientOrderID("A.b:c/d_e-9") != nil)
    }
}
