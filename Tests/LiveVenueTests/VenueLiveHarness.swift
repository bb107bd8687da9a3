import AsyncHTTPClient
import Backtest
import BinanceFutures
import Foundation
import LocalVenue
import Logging
import Testing
import TraderApp
import TradingEngine
import TradingModel
import Hummingbird
import TradingTestSupport

/// The local venue (`LocalVenue` on an ephemeral 127.0.0.1 port, ATOMUSDT, 10 000 USDT) with bot
/// processes (`BotProcess`: a `LiveSession` over the real BinanceFutures REST client, execution
/// client, user-data stream and market feed) pointed at it, all sharing one SQLite store file.
///
/// Nothing moves by itself: `step()` applies the next price point (the bots' clock reads the
/// venue's time, so both move at once) (mark price, aggTrade, closed 1 m kline over the WebSocket; fills and triggers at
/// the venue); tests then wait on bounded conditions (`eventually`), never on the wall clock.
struct VenueLiveHarness: Sendable {
    static let symbol: Symbol = "ATOMUSDT"
    static let apiKey = "live-venue-key-0001"
    static let secret = "live-venue-secret-0002"
    /// 2026-01-05T00:00:00Z; one price point a minute from here.
    static let start = Timestamp(milliseconds: 1_767_571_200_000)
    static let quiet = Logger(label: "live-venue-test", factory: { _ in SwiftLogNoOpLogHandler() })

    static var credentials: LiveCredentials {
        get throws {
            try LiveCredentials.load(environment: ["QT_BINANCE_API_KEY": apiKey, "QT_BINANCE_API_SECRET": secret], keyFile: nil, repositoryRoot: nil)
        }
    }

    let controller: VenueController
    let port: Int
    /// The bots' clock: the venue's time itself (never a step apart, so a signed request is
    /// never stamped ahead of or behind the venue by a price point).
    let clock: VenueTimeClock
    let http: AsyncHTTPClientTransport
    let storePath: String

    /// A symbol the venue lists but the bots do not trade (`--symbols ATOMUSDT`): positions and
    /// orders in it belong to someone else.
    static let foreignSymbol: Symbol = "LINKUSDT"

    /// Starts the venue with `prices` (the first is applied at once), runs `body`, stops the
    /// venue and removes the store file. The venue also lists `foreignSymbol` (no price until set).
    static func run(prices: [String], _ body: @Sendable (VenueLiveHarness) async throws -> Void) async throws {
        let instrument = try #require(BundledInstruments.instrument(symbol))
        let foreign = try #require(BundledInstruments.instrument(foreignSymbol))
        let controller = VenueController(path: .prices(prices.map { Price($0)! }, symbol: symbol, start: start), instruments: [instrument, foreign],
                                         initialBalance: Money(units: 10_000), credentials: [apiKey: secret])
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = VenueServer.application(controller: controller, port: 0, logger: quiet) { portContinuation.yield($0) }
        let storePath = FileManager.default.temporaryDirectory.appendingPathComponent("qt-live-venue-\(ProcessInfo.processInfo.globallyUniqueString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        }
        // One HTTP client per venue, shut down before the server: the server's graceful shutdown
        // waits for open keep-alive connections (with `HTTPClient.shared` it could wait forever
        // after a bot was killed).
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try? await client.shutdown()
                throw HarnessError("the venue did not start")
            }
            let http = AsyncHTTPClientTransport(client: client, baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(20))
            let harness = VenueLiveHarness(controller: controller, port: port, clock: VenueTimeClock(controller: controller), http: http, storePath: storePath)
            var failure: (any Error)?
            do { try await body(harness) } catch { failure = error }
            try? await client.shutdown()
            group.cancelAll()
            if let failure { throw failure }
        }
    }

    /// Starts a bot process (start-up, reconciliation, streams); `killPoint` arms its kill switch.
    func startBot(killPoint: KillSwitchTransport.KillPoint? = nil, killAtTrade: Int? = nil, strategy: ShortOnceStrategy = ShortOnceStrategy(),
                  watch: (@Sendable (RuntimeInput, RuntimeState) async -> Void)? = nil, probe: LatencyProbe? = nil) throws -> BotProcess {
        try BotProcess(venue: self, killPoint: killPoint, killAtTrade: killAtTrade, strategy: strategy, watch: watch, probe: probe)
    }

    /// Waits until `bot` reconciled and both of its streams are in sync (entries allowed), or it died.
    func waitUntilTrading(_ bot: BotProcess) async {
        await eventually(bot) { bot.transport.killed || bot.hasHandled { $0 == .venueStreamInSync(true) } }
    }

    /// Applies the next price point (venue time, and so the bots' clock, move to it); false at
    /// the end of the path.
    @discardableResult
    func step() -> Bool {
        guard controller.nextPointTime != nil else { return false }
        return controller.step()
    }

    /// Moves venue time (and the bots' clock) on by `span` without a price change and releases
    /// one timer tick of `bot` (owner retries and deadlines measured on that time).
    func advanceAndTick(_ bot: BotProcess, by span: Duration) async {
        controller.advance(by: span)
        await bot.tick()
    }

    /// Steps and waits until `bot` handled the mark price of the new point (or died).
    func stepAndWaitForMark(_ bot: BotProcess) async {
        guard step() else { return }
        let time = controller.now
        await eventually(bot) {
            bot.transport.killed || bot.hasHandled { if case .market(.markPrice(let mark)) = $0 { mark.eventTime == time } else { false } }
        }
    }

    /// Re-checks `condition` after every input `bot` handled, every venue change and a kill,
    /// until it holds. Bounded by the test's time limit.
    func eventually(_ bot: BotProcess, _ condition: @Sendable () -> Bool) async {
        while !Task.isCancelled {
            let seen = controller.observation
            let handled = bot.handled.count
            let kills = bot.transport.kills.count
            if condition() { return }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await controller.waitUntil { $0 != seen } }
                group.addTask { await bot.handled.wait { $0.count > handled } }
                group.addTask { await bot.transport.kills.wait { $0.count > kills } }
                await group.next()
                group.cancelAll()
            }
        }
    }

    // MARK: The venue's state

    /// The venue's open ATOMUSDT position (nil when flat).
    var venuePosition: Position? { controller.inspect { $0.exchange.ledger.openPositions.first { $0.symbol == Self.symbol } } }

    /// The venue's open position in `foreignSymbol` (nil when flat).
    var foreignPosition: Position? { controller.inspect { $0.exchange.ledger.openPositions.first { $0.symbol == Self.foreignSymbol } } }

    /// Resting ATOMUSDT orders at the venue (regular and conditional).
    var venueOpenOrders: [OrderRequest] { controller.inspect { $0.exchange.openOrders.map(\.request) }.filter { $0.symbol == Self.symbol } }

    /// Resting orders in `foreignSymbol`.
    var foreignOpenOrders: [OrderRequest] { controller.inspect { $0.exchange.openOrders.map(\.request) }.filter { $0.symbol == Self.foreignSymbol } }

    /// Resting close-position stops (backstops).
    var restingBackstops: [OrderRequest] { venueOpenOrders.filter { $0.closePosition && $0.type == .stopMarket } }

    /// Filled quantity per client id at the venue (every order it ever held).
    var venueFilled: [String: Quantity] {
        controller.inspect { engine in
            engine.exchange.history.filter { !$0.value.filledQuantity.isZero && $0.value.request.symbol == Self.symbol }
                .reduce(into: [String: Quantity]()) { $0[$1.key.value] = $1.value.filledQuantity }
        }
    }

    /// Client ids of the order/algo POSTs the venue may have executed (answered 200, 5xx or not at
    /// all; 400/418/429 refusals are not executed), with how often each was sent.
    var postedClientIDs: [String: Int] {
        controller.requests.filter { $0.method == "POST" && ($0.path == "/fapi/v1/order" || $0.path == "/fapi/v1/algoOrder") }
            .filter { ![400, 418, 429].contains($0.status) }
            .compactMap { $0.parameters["newClientOrderId"] ?? $0.parameters["clientAlgoId"] }
            .reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
    }

    /// True when the venue is flat with nothing resting, or holds one position with exactly one
    /// resting backstop and no other order.
    var venueIsProtected: Bool {
        let orders = venueOpenOrders
        guard venuePosition != nil else { return orders.isEmpty }
        return orders.count == 1 && orders[0].closePosition && orders[0].type == .stopMarket
    }

    /// Entry orders (neither reduce-only nor close-position) the venue executed.
    var venueEntries: [String] {
        controller.inspect { engine in
            engine.exchange.history.filter { !$0.value.request.reduceOnly && !$0.value.request.closePosition && !$0.value.filledQuantity.isZero }
                .filter { $0.value.request.symbol == Self.symbol && !$0.key.value.hasPrefix("web_") }
                .map(\.key.value).sorted()
        }
    }

    /// Fills per client id summed from `fills` (the store's view).
    static func filled(_ fills: [Fill]) -> [String: Quantity] {
        fills.reduce(into: [String: Quantity]()) { $0[$1.clientOrderID.value, default: .zero] = $0[$1.clientOrderID.value, default: .zero] + $1.quantity }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The bots' clock in the venue tests: the local venue's own time.
struct VenueTimeClock: TradingClock {
    let controller: VenueController
    var now: Timestamp { controller.now }
}
