import ArgumentParser
import Backtest
import CandleData
import Foundation
import LocalVenue
import Logging
import TradingModel
import Hummingbird

/// `qt venue --data FILE --port N [--speed X]`: a local Binance USDT-M venue on 127.0.0.1
/// replaying a candle file (REST `/fapi/...`, WebSocket `/market/stream`, `/private/ws`).
/// Without `--speed` the path moves only by `POST /venue/step`; with it, in scaled real time.
struct VenueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venue",
        abstract: "Run a local Binance-compatible futures venue replaying a candle file (for adapter tests by hand)."
    )

    @Option(name: .long, help: "Kline file (Binance CSV, plain or .gz) whose prices the venue replays.")
    var data: String

    @Option(name: .long, help: "Port on 127.0.0.1 (0 = any free port; the bound port is printed).")
    var port: Int = 0

    @Option(name: .long, help: "Replay speed (1 = real time, 60 = a minute per second). Omit to step by hand with POST /venue/step.")
    var speed: Double?

    @Option(name: .long, help: "Symbol of the file (default: from the file name, e.g. BTCUSDT-1m-2024-01.csv).")
    var symbol: String?

    @Option(name: .long, help: "Initial USDT wallet balance.")
    var balance: Int64 = 10_000

    @Option(name: .customLong("api-key"), help: "API key the venue accepts.")
    var apiKey = "venue-api-key"

    @Option(name: .customLong("api-secret"), help: "HMAC secret of that key.")
    var apiSecret = "venue-api-secret"

    func validate() throws {
        if port < 0 || port > 65_535 { throw ValidationError("--port must be 0…65535") }
        if let speed, !(speed > 0) { throw ValidationError("--speed must be a positive number (omit it to step by hand)") }
        if balance <= 0 { throw ValidationError("--balance must be positive") }
    }

    func run() async throws {
        guard let name = symbol ?? DataFileName(path: data).symbol?.name, let parsed = Symbol(name) else {
            throw ValidationError("cannot tell the symbol from \(data); give --symbol BTCUSDT")
        }
        guard let instrument = BundledInstruments.instrument(parsed) else {
            throw ValidationError("no bundled instrument for \(parsed); bundled: \(BundledInstruments.all.map(\.symbol.name).joined(separator: ", "))")
        }
        let path: PricePath
        do {
            path = try PricePath.candleFile(path: data, symbol: parsed)
        } catch {
            throw ValidationError("\(error)")
        }
        guard !path.points.isEmpty else { throw ValidationError("\(data) holds no candles") }
        let controller = VenueController(path: path, instruments: [instrument], initialBalance: Money(units: balance),
                                         credentials: [apiKey: apiSecret])
        let logger = Logger(label: "qt.venue")
        let app = VenueServer.application(controller: controller, port: port, logger: logger) { [apiKey, speed] bound in
            VenueCommand.say("venue: listening on http://127.0.0.1:\(bound) (WebSocket ws://127.0.0.1:\(bound)/market/stream, /private/ws)")
            VenueCommand.say("venue: \(parsed) \(path.points.count) price points from \(controller.now), api key \(apiKey)")
            VenueCommand.say(speed.map { "venue: replaying at \($0)x" } ?? "venue: step with curl -X POST http://127.0.0.1:\(bound)/venue/step?count=1")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            if let speed {
                group.addTask { try await VenueCommand.replay(controller, speed: speed) }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Steps the venue in scaled wall-clock time until the path ends (the CLI is the only place
    /// that waits on the clock; tests step by hand).
    static func replay(_ controller: VenueController, speed: Double) async throws {
        while let next = controller.nextPointTime {
            let gap = max(0, next.milliseconds - controller.now.milliseconds)
            try await Task.sleep(for: .milliseconds(Int64(Double(gap) / speed)))
            controller.step()
        }
        say("venue: end of the price path at \(controller.now); still serving")
        try await Task.sleep(for: .seconds(365 * 24 * 3600))
    }

    /// One line on stdout, written at once (the bound port must reach scripts reading a pipe).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
