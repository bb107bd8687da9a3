import Synchronization
import BinanceFutures
import Foundation
import Logging
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// Answers Binance REST calls from a script, in order, and records them. No network.
final class ScriptedBinanceTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = Mutex(())
    private var script: [HTTPResponseData]
    private var sent: [HTTPRequestData] = []

    init(_ script: [HTTPResponseData]) { self.script = script }

    var requests: [HTTPRequestData] { lock.withLock { _ in sent } }

    func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData {
        lock.withLock { _ in
            sent.append(request)
            guard !script.isEmpty else { return HTTPResponseData(status: 599, json: #"{"code":-9999,"msg":"script exhausted"}"#) }
            return script.removeFirst()
        }
    }
}

@Suite("Binance live session start-up and reconciliation through the real adapter (scripted REST)")
struct BinanceLiveSessionTests {
    static let credentials = try! LiveCredentials.testPair
    static let brackets = #"[{"symbol":"ATOMUSDT","notionalCoef":1.0,"brackets":[{"bracket":1,"initialLeverage":50,"notionalCap":5000,"notionalFloor":0,"maintMarginRatio":0.01,"cum":0.0}]}]"#

    static func json(_ text: String) -> HTTPResponseData { HTTPResponseData(status: 200, json: text) }

    static func runtime(client: BinanceExecutionClient, instrument: Instrument, clock: ManualClock) throws -> ATOMRuntime {
        let brain = try ExitBrain(settings: ExitSettings())
        let store = InMemoryTradeStore()
        let runID = try store.beginRun(RunRecord(kind: .live, startedAt: clock.now, configHash: "test", detail: "binance session test"))
        let kernel = TradingKernel<ShortOnceStrategy, BrainGate, ExitExecutor>(
            instruments: [instrument], strategies: [ShortOnceStrategy()], gate: BrainGate(brain: brain), initialBalance: Money(units: 10_000),
            equitySampleInterval: .seconds(3600), runTag: "lv",
            makeExitOwner: { ExitExecutor(plan: $0.entry.plan, position: $0.position, instrument: $0.instrument, settings: ExitSettings(),
                                          positionKey: $0.positionKey, orderIDs: $0.orderIDs) })
        return ATOMRuntime(kernel: kernel, client: client, inbox: ExecutionInbox(), store: store, runID: runID, alerting: RecordingAlerting(),
                           clock: clock, planner: brain,
                           settings: LiveRuntimeSettings(runTag: "lv", priceSource: .markPrice), statusOf: { $0.status })
    }

    @Test("An account without a USDT balance is refused at start-up (nothing is sized from a configured figure)")
    func noUSDTBalanceIsRefused() async throws {
        let exchangeInfo = try Data(contentsOf: URL(fileURLWithPath: BacktestConfigTests.root
            + "/Tests/BinanceFuturesTests/Fixtures/rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json"))
        let transport = ScriptedBinanceTransport([
            Self.json(#"{"serverTime":1700000000000}"#), Self.json(#"{"dualSidePosition":false}"#),
            HTTPResponseData(status: 200, body: Array(exchangeInfo)), Self.json(Self.brackets), Self.json(#"{"code":200,"msg":"success"}"#),
            Self.json(#"[{"accountAlias":"x","asset":"BNB","balance":"1.5"}]"#),
        ])
        await #expect(throws: LiveRuntimeError.self) {
            _ = try await BinanceLiveSession.open(transport: transport, credentials: Self.credentials, symbols: ["ATOMUSDT"],
                                                  clock: ManualClock(Timestamp(milliseconds: 1_700_000_000_000)), logger: Logger(label: "test"),
                                                  pause: { _ in })
        }
    }

    @Test("One-way account: time, position mode, instruments with tiers, ISOLATED margin, then positions and (algo) orders; the secret never leaves")
    func oneWayStartAndReconcile() async throws {
        let exchangeInfo = try Data(contentsOf: URL(fileURLWithPath: BacktestConfigTests.root
            + "/Tests/BinanceFuturesTests/Fixtures/rest_exchangeInfo_2024_BTC_ETH_LINK_ATOM.json"))
        let transport = ScriptedBinanceTransport([
            Self.json(#"{"serverTime":1700000000000}"#), Self.json(#"{"dualSidePosition":false}"#),
            HTTPResponseData(status: 200, body: Array(exchangeInfo)), Self.json(Self.brackets), Self.json(#"{"code":200,"msg":"success"}"#),
            Self.json(#"[{"accountAlias":"x","asset":"BNB","balance":"1.5"},{"accountAlias":"x","asset":"USDT","balance":"1234.56780000"}]"#),
            Self.json("[]"), Self.json("[]"), Self.json("[]"),
        ])
        let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
        let session = try await BinanceLiveSession.open(transport: transport, credentials: Self.credentials, symbols: ["ATOMUSDT"], clock: clock,
                                                        logger: Logger(label: "test"), pause: { _ in })
        // The account's USDT wallet, not a configured figure, is what the runtime starts from.
        #expect(session.walletBalance == Money("1234.5678")!)
        let atom = try #require(session.instruments.first)
        #expect(atom.symbol == "ATOMUSDT" && atom.marginBrackets.first?.maxLeverage == 50)
        let runtime = try Self.runtime(client: session.client, instrument: atom, clock: clock)
        try await runtime.reconcile()
        #expect(await runtime.reconciled)
        #expect(transport.requests.map(\.path) == ["/fapi/v1/time", "/fapi/v1/positionSide/dual", "/fapi/v1/exchangeInfo", "/fapi/v1/leverageBracket",
                                                   "/fapi/v1/marginType", "/fapi/v3/balance", "/fapi/v3/positionRisk", "/fapi/v1/openOrders",
                                                   "/fapi/v1/openAlgoOrders", "/fapi/v3/balance"])  // the wallet re-read after reconciling
        for request in transport.requests {
            #expect(!request.target.contains(Self.credentials.apiSecret) && !request.headers.values.contains(Self.credentials.apiSecret))
        }
    }

    @Test("Hedge-mode account: start-up stops before instruments, saying what to change")
    func hedgeModeRefused() async throws {
        let transport = ScriptedBinanceTransport([
            Self.json(#"{"serverTime":1700000000000}"#), Self.json(#"{"dualSidePosition":true}"#), Self.json("[]"), Self.json("[]"), Self.json("[]"),
        ])
        let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
        do {
            _ = try await BinanceLiveSession.open(transport: transport, credentials: Self.credentials, symbols: ["ATOMUSDT"], clock: clock,
                                                  logger: Logger(label: "test"), pause: { _ in })
            Issue.record("hedge mode accepted")
        } catch {
            #expect(error.code == .hedgeMode)
            #expect(error.message.contains("hedge mode") && error.message.contains("one-way"))
        }
        #expect(transport.requests.map(\.path) == ["/fapi/v1/time", "/fapi/v1/positionSide/dual"])
    }
}

extension LiveCredentials {
    /// A made-up key pair for signing tests.
    static var testPair: LiveCredentials {
        get throws { try LiveCredentials.load(environment: ["QT_BINANCE_API_KEY": "test-key-0001", "QT_BINANCE_API_SECRET": "test-secret-0002"],
                                              keyFile: nil, repositoryRoot: nil) }
    }
}
