import Synchronization
import BinanceFutures
import Foundation
import Logging
import TradingEngine
import TradingModel

/// Reads a recorded payload from `Fixtures/` (copied from reference/binance-usdm; see SOURCES.md).
func fixture(_ name: String) throws -> [UInt8] {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    return Array(try Data(contentsOf: directory.appendingPathComponent(name)))
}

/// Names of every JSON fixture on disk.
func fixtureNames() throws -> [String] {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
}

/// An `HTTPTransport` that answers from a script and records every request. No network.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = Mutex(())
    private var script: [Result<HTTPResponseData, HTTPTransportError>]
    private var sent: [HTTPRequestData] = []

    init(_ script: [Result<HTTPResponseData, HTTPTransportError>]) { self.script = script }

    var requests: [HTTPRequestData] { lock.withLock { _ in sent } }
    var remaining: Int { lock.withLock { _ in script.count } }

    func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData {
        let next: Result<HTTPResponseData, HTTPTransportError> = lock.withLock { _ in
            sent.append(request)
            guard !script.isEmpty else { return .success(HTTPResponseData(status: 599, json: #"{"code":-9999,"msg":"script exhausted"}"#)) }
            return script.removeFirst()
        }
        return try next.get()
    }
}

func ok(_ json: String, headers: [(String, String)] = []) -> Result<HTTPResponseData, HTTPTransportError> {
    .success(HTTPResponseData(status: 200, headers: headers, json: json))
}

func okFixture(_ name: String) throws -> Result<HTTPResponseData, HTTPTransportError> {
    .success(HTTPResponseData(status: 200, body: try fixture(name)))
}

func failure(_ status: Int, code: Int, _ message: String, headers: [(String, String)] = []) -> Result<HTTPResponseData, HTTPTransportError> {
    .success(HTTPResponseData(status: status, headers: headers, json: #"{"code":\#(code),"msg":"\#(message)"}"#))
}

/// Captures log lines (message + metadata) for assertions.
final class CapturedLogs: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = Mutex(())
    private var entries: [String] = []
    func append(_ line: String) { lock.withLock { _ in entries.append(line) } }
    var lines: [String] { lock.withLock { _ in entries } }
    var all: String { lines.joined(separator: "\n") }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}

func capturingLogger() -> (Logger, CapturedLogs) {
    let sink = CapturedLogs()
    return (Logger(label: "test") { _ in CapturingLogHandler(sink: sink) }, sink)
}

let testAPIKey = "qt-test-api-key-AAAABBBBCCCC"
let testSecret = "qt-test-secret-0123456789ABCDEFghijklmnop"

/// ATOMUSDT with the 2024 capture's filters: tick 0.001 (min 0.251), step 0.01, market max 20000, min notional 5.
let atomInstrument = Instrument(
    symbol: "ATOMUSDT", baseAsset: "ATOM", tickSize: Price("0.001")!, minPrice: Price("0.251")!, maxPrice: Price(units: 100_000),
    stepSize: Quantity("0.01")!, minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000),
    marketStepSize: Quantity("0.01")!, marketMinQuantity: Quantity("0.01")!, marketMaxQuantity: Quantity(units: 20_000),
    minNotional: Money(units: 5),
    marginBrackets: [MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5_000), maintenanceMarginRate: Rate("0.01")!,
                                   maintenanceAmount: .zero, maxLeverage: 50)])

/// A REST client and execution client over a scripted transport, clock at 2023-11-14T22:13:20Z.
func makeClient(_ script: [Result<HTTPResponseData, HTTPTransportError>], attempts: Int = 4)
    -> (BinanceExecutionClient, ScriptedTransport, ManualClock, CapturedLogs, PauseRecorder)
{
    let transport = ScriptedTransport(script)
    let clock = ManualClock(Timestamp(milliseconds: 1_700_000_000_000))
    let (logger, logs) = capturingLogger()
    let rest = BinanceRESTClient(transport: transport, credentials: BinanceCredentials(apiKey: testAPIKey, hmacSecret: testSecret),
                                 clock: clock, logger: logger)
    let pauses = PauseRecorder()
    let client = BinanceExecutionClient(rest: rest, instruments: [atomInstrument], logger: logger,
                                        unknownStatusQueryAttempts: attempts, pause: { pauses.record($0) })
    return (client, transport, clock, logs, pauses)
}

/// Records the pauses the client asked for instead of sleeping.
final class PauseRecorder: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = Mutex(())
    private var values: [Duration] = []
    func record(_ duration: Duration) { lock.withLock { _ in values.append(duration) } }
    var recorded: [Duration] { lock.withLock { _ in values } }
}

/// Splits a query string into (name, value) pairs, in order.
func pairs(_ query: String) -> [(String, String)] {
    query.split(separator: "&").map { item in
        let parts = item.split(separator: "=", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
}

func parameter(_ name: String, in request: HTTPRequestData) -> String? {
    pairs(request.query).first { $0.0 == name }?.1
}

/// Suspends until the current task is cancelled: stands in for timers that must never fire in a test.
func suspendUntilCancelled() async {
    let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    await withTaskCancellationHandler {
        for await _ in stream {}
    } onCancel: {
        continuation.finish()
    }
}
