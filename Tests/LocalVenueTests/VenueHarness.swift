import AsyncHTTPClient
import Backtest
import BinanceFutures
import LocalVenue
import Logging
import TradingEngine
import TradingTestSupport
import TradingModel
import Hummingbird

/// The local venue on 127.0.0.1 (ephemeral port) with the real BinanceFutures REST client and
/// execution client pointed at it. The client's clock is a `ManualClock` set to venue time.
struct VenueHarness: Sendable {
    static let apiKey = "venue-test-key"
    static let secret = "venue-test-secret"
    static let symbol: Symbol = "BTCUSDT"
    /// 2026-01-05T00:00:00Z.
    static let start = Timestamp(milliseconds: 1_767_571_200_000)

    let controller: VenueController
    let port: Int
    let clock: ManualClock
    let rest: BinanceRESTClient
    let client: BinanceExecutionClient

    var httpBase: String { "http://127.0.0.1:\(port)" }
    var streamURLs: BinanceStreamURLs { BinanceStreamURLs(base: "ws://127.0.0.1:\(port)") }

    static let quiet = Logger(label: "venue-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// BTCUSDT prices, one point a minute from `start`.
    static func controller(prices: [String], balance: Int64 = 10_000, rateLimits: VenueRateLimits = .binance) -> VenueController {
        let path = PricePath.prices(prices.map { Price($0)! }, symbol: symbol, start: start)
        return VenueController(path: path, instruments: [BundledInstruments.instrument(symbol)!], initialBalance: Money(units: balance),
                               credentials: [apiKey: secret], rateLimits: rateLimits)
    }

    /// Starts the server, builds the clients (server time synced, instruments loaded), runs `body`, stops the server.
    static func run(prices: [String] = ["50000", "50100", "49900", "49000", "48000", "51000"],
                    credentials: BinanceCredentials = BinanceCredentials(apiKey: apiKey, hmacSecret: secret),
                    setUp: Bool = true, rateLimits: VenueRateLimits = .binance,
                    _ body: @Sendable (VenueHarness) async throws -> Void) async throws {
        let controller = controller(prices: prices, rateLimits: rateLimits)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = VenueServer.application(controller: controller, port: 0, logger: quiet) { portContinuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw VenueTestError("server did not start") }
            let clock = ManualClock(controller.now)
            let transport = AsyncHTTPClientTransport(client: HTTPClient.shared, baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(20))
            let rest = BinanceRESTClient(transport: transport, credentials: credentials, clock: clock, logger: quiet)
            let client = BinanceExecutionClient(rest: rest, instruments: [], logger: quiet, pause: { _ in await Task.yield() })
            let harness = VenueHarness(controller: controller, port: port, clock: clock, rest: rest, client: client)
            if setUp {
                try await rest.syncServerTime()
                _ = try await client.loadInstruments([symbol])
            }
            try await body(harness)
            group.cancelAll()
        }
    }

    /// Steps the venue and moves the client's clock with it.
    func step(_ count: Int = 1) {
        controller.step(count: count)
        clock.set(controller.now)
    }

    /// POSTs seen by the venue on `path`.
    func posts(_ path: String) -> [VenueRequestRecord] { controller.requests.filter { $0.method == "POST" && $0.path == path } }

    func order(_ id: String, _ side: OrderSide, _ type: OrderType, quantity: String?, price: String? = nil, trigger: String? = nil,
               reduceOnly: Bool = false, closePosition: Bool = false) -> OrderRequest {
        OrderRequest(clientOrderID: ClientOrderID(id)!, symbol: VenueHarness.symbol, side: side, type: type,
                     quantity: quantity.map { Quantity($0)! }, price: price.map { Price($0)! }, triggerPrice: trigger.map { Price($0)! },
                     triggerSource: .markPrice, reduceOnly: reduceOnly, closePosition: closePosition)
    }
}

struct VenueTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Suspends until the task is cancelled (a timer that never fires in a test).
func suspendUntilCancelled() async {
    let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    await withTaskCancellationHandler {
        for await _ in stream {}
    } onCancel: {
        continuation.finish()
    }
}
