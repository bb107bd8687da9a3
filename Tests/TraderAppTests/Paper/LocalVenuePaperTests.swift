import Foundation
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// `qt paper --local-venue FILE`: the local venue in-process on an ephemeral 127.0.0.1 port, the
/// paper runtime on its WebSocket market stream, paced by the session (no sleeps, no wall clock).
///
/// What equals `qt paper --data` on the same bars, and why the rest differs: the venue streams
/// four prices per candle (open, nearer extreme, other extreme, close) and the session reacts to
/// them as to live trades, while the file replay also stops at every stop/target level inside a
/// candle. So the signals, entries (time, side, quantity, price) and every exit's time and reason
/// are equal when both walk the candle in the same order (`intrabar_path = "nearest_extreme_first"`);
/// a reversal closes at the same price; a stop or target fills at the streamed price that crossed
/// it (at or beyond the level) instead of at the level. At the end the file replay closes what is
/// open (`end_of_data`); the venue session leaves it open and logs it.
@Suite("Paper trading against the local venue in one command")
struct LocalVenuePaperTests {
    static let root = BacktestConfigTests.root
    static let link = root + "/data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz"
    /// One day of LINKUSDT 1m: 55 reversals, 1 stop-loss and 4 take-profits with ema-cross.
    static let bars = 1440

    /// The first `bars` candles of the bundled file as a plain CSV named like a Binance file.
    static func slice(in directory: String) throws -> String {
        let (_, candles) = try LocalVenuePaper.loadCandles(dataFile: link, maxBars: bars)
        var text = "open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume\n"
        for candle in candles {
            text += "\(candle.openTime.milliseconds),\(candle.open),\(candle.high),\(candle.low),\(candle.close),\(candle.volume),"
                + "\(candle.quoteVolume ?? .zero),\(candle.tradeCount ?? 0),\(candle.takerBuyVolume ?? .zero)\n"
        }
        let path = directory + "/LINKUSDT-1m-2026-02-01_2026-02-01.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// examples/ema-cross.toml, optionally with another intrabar path.
    static func config(in directory: String, intrabarPath: String?) throws -> AppConfig {
        var text = try String(contentsOfFile: root + "/examples/ema-cross.toml", encoding: .utf8)
        if let intrabarPath { text = text.replacingOccurrences(of: "intrabar_path = \"pessimistic\"", with: "intrabar_path = \"\(intrabarPath)\"") }
        let path = directory + "/ema-cross-\(intrabarPath ?? "example").toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try AppConfig.load(path: path)
    }

    static func temporaryDirectory(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qt-local-venue-\(getpid())-\(name)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The venue's streamed price at `time` within `candle`: open, nearer extreme (+20 s),
    /// other extreme (+40 s), close (+59.999 s), as `PricePath.candles` publishes them.
    static func streamedPrice(_ candles: [Candle], at time: Timestamp) -> Price? {
        let openTime = time.milliseconds - time.milliseconds % 60_000
        guard let candle = candles.first(where: { $0.openTime.milliseconds == openTime }) else { return nil }
        let lowFirst = candle.open.raw - candle.low.raw <= candle.high.raw - candle.open.raw
        switch time.milliseconds - openTime {
        case 0: return candle.open
        case 20_000: return lowFirst ? candle.low : candle.high
        case 40_000: return lowFirst ? candle.high : candle.low
        case 59_999: return candle.close
        default: return nil
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func sameEngineAsTheFileReplayOnTheSamePath() async throws {
        let directory = try Self.temporaryDirectory("nearest")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try Self.slice(in: directory)
        let config = try Self.config(in: directory, intrabarPath: "nearest_extreme_first")
        let record = RecordedLog()
        let ports = Ports()
        let venueStore = InMemoryTradeStore()
        let venue = try await LocalVenuePaper.run(config: config, dataFile: file, maxBars: nil, pacing: .lockstep(window: 16), store: venueStore,
                                                  alerting: NoAlerting(), logger: record.logger()) { ports.set($0) }
        let replay = try await PaperRunner.run(config: config, dataFiles: [file], store: InMemoryTradeStore(), alerting: NoAlerting())
        #expect(ports.value.map { $0 > 0 } == true && venue.port == ports.value)
        #expect(venue.bars == Self.bars)

        // The file replay closes what is open at the end; the venue session leaves it open.
        let closedAtEnd = replay.trades.filter { $0.exitReason == .endOfData }
        let compared = Array(replay.trades.dropLast(closedAtEnd.count))
        #expect(closedAtEnd.allSatisfy { $0.exitTime == replay.trades.last?.exitTime })
        #expect(venue.run.trades.count == compared.count)
        #expect(venue.run.trades.count >= 50)
        #expect(Set(venue.run.trades.map(\.exitReason)) == [.reversal, .stopLoss, .takeProfit])
        let (_, candles) = try LocalVenuePaper.loadCandles(dataFile: file, maxBars: nil)
        for (streamed, replayed) in zip(venue.run.trades, compared) {
            #expect(streamed.side == replayed.side && streamed.quantity == replayed.quantity && streamed.leverage == replayed.leverage)
            #expect(streamed.entryTime == replayed.entryTime && streamed.entryPrice == replayed.entryPrice)
            #expect(streamed.exitTime == replayed.exitTime && streamed.exitReason == replayed.exitReason)
            switch streamed.exitReason {
            case .reversal:
                #expect(streamed == replayed)
            case .stopLoss:
                // Filled at the streamed price that crossed the stop: never better than the level fill.
                #expect(streamed.exitPrice == Self.streamedPrice(candles, at: streamed.exitTime))
                #expect(streamed.side == .long ? streamed.exitPrice <= replayed.exitPrice : streamed.exitPrice >= replayed.exitPrice)
            case .takeProfit:
                #expect(streamed.exitPrice == Self.streamedPrice(candles, at: streamed.exitTime))
                #expect(streamed.side == .long ? streamed.exitPrice >= replayed.exitPrice : streamed.exitPrice <= replayed.exitPrice)
            default:
                Issue.record("unexpected exit \(streamed)")
            }
        }
        // What the file replay closed at the end is what the venue session leaves open.
        let open = venue.finalState.positions.map(\.position)
        #expect(open.count == closedAtEnd.count)
        for (position, trade) in zip(open, closedAtEnd) {
            #expect(position.side == trade.side && position.quantity == trade.quantity && position.entryPrice == trade.entryPrice
                    && position.openedAt == trade.entryTime)
        }
        #expect(venue.finalState.positions.allSatisfy { $0.stopPrice != nil && $0.targetPrices.count == 1 && $0.backstopPrice == nil })

        // The log: one entry per trade plus the open positions, one exit per trade, then the open positions.
        let exits = record.messages("paper.exit")
        #expect(record.messages("paper.entry").count == venue.run.trades.count + open.count)
        #expect(exits.count == venue.run.trades.count)
        #expect(record.messages("paper.open_position").count == open.count)
        for (line, trade) in zip(exits, venue.run.trades) {
            #expect(line.metadata["reason"] == trade.exitReason.rawValue)
            #expect(line.metadata["price"] == "\(trade.exitPrice)")
            #expect(line.metadata["pnl.net"] == "\(trade.netPnL)")
            #expect(line.metadata["price_move_pct"] != nil && line.metadata["roe_pct"] != nil)
        }
        let entry = try #require(record.messages("paper.entry").first)
        for key in ["side", "quantity", "price", "stop", "targets", "backstop"] { #expect(entry.metadata[key] != nil, "entry line lacks \(key)") }
        #expect(record.all.last { $0.message.hasPrefix("paper.") }?.message == (open.isEmpty ? "paper.exit" : "paper.open_position"))
        #expect(try venueStore.trades(runID: venue.run.runID).count == venue.run.trades.count)
        #expect(try venueStore.runs().first?.kind == .paper)
    }

    @Test(.timeLimit(.minutes(5)))
    func theExampleConfigEntersAndExitsInTheSameBarsAsTheFileReplay() async throws {
        // examples/ema-cross.toml walks a bar against an open position (pessimistic); the venue
        // streams the nearer extreme first. On this day no bar holds both levels, so the exits
        // happen in the same bar with the same reason (the second within it may differ).
        let directory = try Self.temporaryDirectory("example")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try Self.slice(in: directory)
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross.toml")
        let venue = try await LocalVenuePaper.run(config: config, dataFile: file, maxBars: nil, pacing: .lockstep(window: 1), store: InMemoryTradeStore(),
                                                  alerting: NoAlerting(), logger: RecordedLog().logger())
        let replay = try await PaperRunner.run(config: config, dataFiles: [file], store: InMemoryTradeStore(), alerting: NoAlerting())
        let compared = replay.trades.filter { $0.exitReason != .endOfData }
        #expect(venue.run.trades.count == compared.count)
        for (streamed, replayed) in zip(venue.run.trades, compared) {
            #expect(streamed.side == replayed.side && streamed.quantity == replayed.quantity)
            #expect(streamed.entryTime == replayed.entryTime && streamed.entryPrice == replayed.entryPrice)
            #expect(streamed.exitReason == replayed.exitReason)
            #expect(streamed.exitTime.milliseconds / 60_000 == replayed.exitTime.milliseconds / 60_000)
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func pacingChangesNothingButSpeed() async throws {
        // `--speed` steps the venue on its own schedule; with a sleep that returns at once the
        // venue runs ahead of the session (messages queue on the socket). Same stream, same order:
        // the same trades as in lockstep with a window of one point.
        let directory = try Self.temporaryDirectory("pacing")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross.toml")
        let lockstep = try await LocalVenuePaper.run(config: config, dataFile: Self.link, maxBars: 600, pacing: .lockstep(window: 1),
                                                     store: InMemoryTradeStore(), alerting: NoAlerting(), logger: RecordedLog().logger())
        let ahead = try await LocalVenuePaper.run(config: config, dataFile: Self.link, maxBars: 600,
                                                  pacing: .realTime(speed: 1, sleep: { _ in await Task.yield() }),
                                                  store: InMemoryTradeStore(), alerting: NoAlerting(), logger: RecordedLog().logger())
        #expect(lockstep.run.trades.count >= 20)
        #expect(ahead.run.trades == lockstep.run.trades)
        #expect(ahead.finalState.positions == lockstep.finalState.positions)
        #expect(ahead.run.walletBalance == lockstep.run.walletBalance)
    }

    @Test func aFileTheVenueCannotStreamIsRefusedBeforeAnythingStarts() async throws {
        let config = try AppConfig.load(path: Self.root + "/examples/ema-cross.toml")
        let fiveMinutes = Self.root + "/data/binance-usdm/XRPUSDT-5m-2021-11-15_2021-11-21.csv.gz"
        let store = InMemoryTradeStore()
        await #expect(throws: LocalVenuePaperError.self) {
            _ = try await LocalVenuePaper.run(config: config, dataFile: fiveMinutes, maxBars: nil, pacing: .lockstep(window: 1), store: store,
                                              alerting: NoAlerting(), logger: RecordedLog().logger())
        }
        #expect(throws: LocalVenuePaperError.self) { try LocalVenuePaper.loadCandles(dataFile: Self.link, maxBars: 1) }
        #expect(try store.runs().isEmpty)
    }
}
