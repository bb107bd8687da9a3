import Backtest
import CandleData
import LocalVenue
import Logging
import TradingEngine
import TradingModel
import Hummingbird

/// Composition root of `qt paper --local-venue FILE`: a paper session against the local
/// Binance-compatible venue in one command. The venue (`LocalVenue`) runs in-process on an
/// ephemeral 127.0.0.1 port replaying a one-minute kline file; the paper runtime
/// (`PaperRunner`, simulated execution) trades on its WebSocket market stream exactly as
/// `qt paper --venue ws://…` does, with the runtime's clock following venue time.
///
/// Pacing is driven by the session, not the wall clock: in lockstep the venue publishes the
/// next price point once the session has handled the previous ones (`VenueReplayPacer`), so
/// the run is as fast as the session and deterministic. `realTime` steps the venue in scaled
/// wall-clock time instead. The session stops when the whole path was consumed: positions stay
/// open (as when a live session stops) and are logged with their exit levels.
public enum LocalVenuePaper {
    /// How the venue's path moves.
    public enum Pacing: Sendable {
        /// At most `window` price points published ahead of the session.
        case lockstep(window: Int)
        /// Venue time advances `speed` times faster than real time (`sleep` waits; the CLI passes `Task.sleep`).
        case realTime(speed: Double, sleep: @Sendable (Duration) async throws -> Void)
    }

    /// What the session produced.
    public struct Outcome: Sendable {
        public var run: PaperRunResult
        public var symbol: Symbol
        /// Candles replayed (after `maxBars`).
        public var bars: Int
        /// The venue's port on 127.0.0.1 during the session.
        public var port: Int
        /// The runtime at the end: trades and the positions left open with their exit levels.
        public var finalState: RuntimeState
        /// True when the stop request (Ctrl-C) ended the replay before the file's end.
        public var stopped = false
    }

    /// Market events one venue price point produces on the session's streams: mark price and
    /// aggregate trade (`BinanceMarketDataFeed.streams`), plus the closed `kline_1m` when the
    /// point closes a candle.
    public static func eventsPerPoint(_ path: PricePath) -> [Int] {
        path.points.dropFirst().map { $0.closedCandle == nil ? 2 : 3 }
    }

    /// The first `maxBars` candles of a one-minute kline file, and its symbol.
    public static func loadCandles(dataFile: String, maxBars: Int?) throws(LocalVenuePaperError) -> (Symbol, [Candle]) {
        guard let symbol = DataFileName(path: dataFile).symbol else {
            throw LocalVenuePaperError("cannot tell the symbol from \(dataFile); name it like LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz")
        }
        let series: CandleSeries
        do { series = try CandleReader.readAll(path: dataFile) } catch { throw LocalVenuePaperError("\(error)") }
        guard series.report.interval == .oneMinute else {
            throw LocalVenuePaperError("\(dataFile): the local venue publishes 1m klines; give a one-minute kline file "
                                       + "(this one is \(series.report.interval.map { "\($0)" } ?? "of unknown interval"))")
        }
        let candles = maxBars.map { Array(series.candles.prefix($0)) } ?? series.candles
        guard candles.count >= 2 else { throw LocalVenuePaperError("\(dataFile): a paper session needs at least 2 candles, got \(candles.count)") }
        return (symbol, candles)
    }

    /// Runs the session; `onListening` receives the venue's port once it is bound. `observer` also
    /// sees the runtime after each input (the alert rules); `timerInterval` gives the runtime timer
    /// ticks in real time (at venue time), so close requests and manual halts are picked up (nil: none).
    /// `stop` returning (Ctrl-C) ends the replay early: the run is finished in the store with its
    /// summary and the outcome says `stopped`.
    public static func run(config: AppConfig, dataFile: String, maxBars: Int?, pacing: Pacing, store: any TradeStore, alerting: any Alerting,
                           logger: Logger, observer: (any RuntimeObserver)? = nil, timerInterval: Duration? = nil,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in },
                           until stop: (@Sendable () async -> Void)? = nil) async throws -> Outcome {
        let (symbol, candles) = try loadCandles(dataFile: dataFile, maxBars: maxBars)
        let choice = try StrategyChoice(try TraderBuilder(config).strategySettings("paper trading"), symbols: [symbol], barInterval: .seconds(60),
                                        period: (candles[0].openTime, candles[candles.count - 1].openTime))
        return try await run(config: config, symbol: symbol, candles: candles, choice: choice, pacing: pacing, clock: venueClock(candles),
                             store: store, alerting: alerting, logger: logger, observer: observer, timerInterval: timerInterval,
                             onListening: onListening, until: stop)
    }

    /// The local venue's clock: the venue's replayed time, which the runtime, the exit owners and
    /// everything that compares times with theirs (the alert rules, the session's lifecycle
    /// messages) must share; set to the venue's start by `run`, moved to each market event's time.
    static func venueClock(_ candles: [Candle]) -> ManualClock { ManualClock(candles[0].openTime) }

    /// `run` on candles already loaded, with the strategy resolved (`TraderBuilder` does both once).
    /// `clock`: the venue's clock (`venueClock`), shared with the session's alert services.
    static func run(config: AppConfig, symbol: Symbol, candles: [Candle], choice: StrategyChoice, pacing: Pacing, clock: ManualClock, store: any TradeStore,
                    alerting: any Alerting, logger: Logger, observer: (any RuntimeObserver)?, timerInterval: Duration?,
                    onListening: @escaping @Sendable (Int) async -> Void,
                    until stop: (@Sendable () async -> Void)?) async throws -> Outcome {
        let instrument = try config.backtest.instrument(for: symbol)
        let path = PricePath.candles(candles, symbol: symbol)
        let controller = VenueController(path: path, instruments: [instrument], initialBalance: config.backtest.initialBalance, credentials: [:])
        clock.set(controller.now)
        let mode: VenueReplayPacer.Mode
        switch pacing {
        case .lockstep(let window): mode = .lockstep(window: max(1, window))
        case .realTime: mode = .external
        }
        let driver = VenueReplayDriver(controller: controller, pacer: VenueReplayPacer(eventsPerPoint: eventsPerPoint(path), mode: mode), logger: logger)
        // The server is stopped by cancelling it, which HummingbirdCore logs as errors; a real
        // failure (the port cannot be bound) is thrown by `run()`.
        var serverLogger = Logger(label: "qt.local-venue")
        serverLogger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = VenueServer.application(controller: controller, port: 0, logger: serverLogger) { portContinuation.yield($0) }
        // Set when `stop` returned (not when its task was cancelled because the replay ended).
        let stopped = StopFlag()
        let until: (@Sendable () async -> Void)? = stop.map(Self.marking(stopped))
        return try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw LocalVenuePaperError("the local venue did not start") }
            await onListening(port)
            let feed = PaperRunner.venueFeed(websocketURL: "ws://127.0.0.1:\(port)", clock: clock, logger: logger)
            group.addTask {
                let result = try await PaperRunner.run(config: config, choice: choice, symbols: [symbol], feed: feed, barInterval: .seconds(60),
                                                       clock: clock, eventClock: clock, timerInterval: timerInterval, store: store,
                                                       alerting: alerting, observer: observer.map { RuntimeObservers([driver, $0]) } ?? driver,
                                                       history: nil, until: until)
                if !stopped.isSet { try driver.checkCompleted() }
                let state = driver.lastState ?? RuntimeState(time: clock.now, trades: result.trades, positions: [])
                for line in PaperTradeLog.openPositions(state) { driver.log(line) }
                return Outcome(run: result, symbol: symbol, bars: candles.count, port: port, finalState: state, stopped: stopped.isSet)
            }
            group.addTask {
                await controller.waitUntil { $0.openMarketStreams >= 1 }
                if Task.isCancelled { return nil }
                driver.begin()
                if case .realTime(let speed, let sleep) = pacing {
                    while let next = controller.nextPointTime {
                        let gap = max(0, next.milliseconds - controller.now.milliseconds)
                        try await sleep(.milliseconds(Int64(Double(gap) / speed)))
                        controller.step()
                    }
                }
                // A reconnect means messages published meanwhile were lost: fail closed.
                await controller.waitUntil { $0.marketStreamsOpened >= 2 }
                if Task.isCancelled { return nil }
                throw LocalVenuePaperError("the market stream to the local venue dropped; price points were lost, the replay stops")
            }
            while let next = try await group.next() {
                if let outcome = next {
                    group.cancelAll()
                    return outcome
                }
            }
            throw LocalVenuePaperError("the local venue stopped before the paper session ended")
        }
    }

    /// `stop`, then `flag` set unless the wait ended by cancellation.
    static func marking(_ flag: StopFlag) -> @Sendable (@escaping @Sendable () async -> Void) -> @Sendable () async -> Void {
        { stop in
            {
                await stop()
                if !Task.isCancelled { flag.set() }
            }
        }
    }
}
