import ArgumentParser
import CandleData
import Foundation
import Signals
import TraderApp
import TradingEngine
import TradingModel

/// `qt diagnose --db FILE [--price SYMBOL=PRICE] [--data FILE...] [--config FILE] [--html FILE] [--venue …]`:
/// account, open positions with their figures and protection, recent signals with the
/// validator's reasons, alerts, model health and fact-based findings with their evidence; with
/// `--venue`, the account, positions, resting stops and money on the exchange too. Exits non-zero
/// when a venue section could not be read (the store's sections are printed all the same).
struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Diagnose a trading store: findings with evidence, positions (move, ROE, PnL, liquidation), protection, signals, alerts."
    )

    /// The store by file only: `--config` here is the session's configuration (its `[validation]`),
    /// so the shared `StoreOptions` (whose `--config` names a store) cannot be used.
    @Option(name: .long, help: "The SQLite store to diagnose (the [storage] path of the session, e.g. qt.sqlite).")
    var db: String?

    @Option(name: .long, help: "The price of a symbol, SYMBOL=PRICE (repeatable; wins over --data).")
    var price: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "Kline files (Binance CSV, plain or .gz): prices, stop crossings, trend, correlation.")
    var data: [String] = []
    @Option(name: .long, help: "Diagnose as of this UTC time (default: the latest event in the store).")
    var at: String?
    @Option(name: .long, help: "The configuration the session ran with: its [validation] min_confidence is checked.")
    var config: String?
    @Option(name: .long, help: "An exit owner without a price event for this many seconds is silent (default 120).")
    var silentAfter: Int = 120
    @Option(name: .long, help: "The model directory qt train wrote: the live hit rate and coverage against its report.json (give --data 1m klines to label the signals).")
    var model: String?
    @Option(name: .long, help: "Also write an HTML page to this file.")
    var html: String?
    @OptionGroup var venue: VenueAccessOptions

    func options() throws -> DiagnoseOptions {
        var options = DiagnoseOptions()
        for entry in price {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let symbol = Symbol(parts[0].uppercased()), let value = Price(parts[1]), value.isPositive else {
                throw ValidationError("--price \(entry): use SYMBOL=PRICE, e.g. ATOMUSDT=2.2616")
            }
            options.prices[symbol] = value
        }
        for path in data {
            guard let symbol = DataFileName(path: path).symbol else {
                throw ValidationError("--data \(path): the file name does not name a symbol (SYMBOL-INTERVAL-….csv.gz)")
            }
            let series: CandleSeries
            do { series = try CandleReader.readAll(path: path) } catch { throw ValidationError("--data \(path): \(error)") }
            options.candles[symbol, default: []] += series.candles
            options.candles[symbol]?.sort { $0.openTime < $1.openTime }
            if let interval = DataFileName(path: path).interval { options.candleIntervals[symbol] = interval.duration }
        }
        if let at {
            guard let time = Timestamp(iso8601: at) else { throw ValidationError("--at \(at): use a UTC time, e.g. 2026-01-03T12:00Z") }
            options.asOf = time
        }
        if let config {
            let settings: ValidationSettings
            do { settings = try AppConfig.load(path: config).validation } catch { throw ValidationError("--config \(config): \(error)") }
            if settings.confidence.isEnabled { options.minConfidence = settings.confidence.minimum }
            options.trend = settings.trend
            options.trendCheckEnabled = settings.trend.isEnabled
        }
        if let model {
            do { options.model = ModelExpectation(report: try EvaluationReport.read(directory: model)) } catch {
                throw ValidationError("--model \(model): \(error)")
            }
        }
        guard silentAfter >= 1 else { throw ValidationError("--silent-after must be at least 1 second") }
        options.silentAfter = .seconds(silentAfter)
        return options
    }

    func validate() throws {
        guard silentAfter >= 1 else { throw ValidationError("--silent-after must be at least 1 second") }
        for entry in price where entry.split(separator: "=", maxSplits: 1).count != 2 {
            throw ValidationError("--price \(entry): use SYMBOL=PRICE, e.g. ATOMUSDT=2.2616")
        }
    }

    func run() async throws {
        let options = try options()
        let diagnosis: Diagnosis
        if venue.venue {
            let (live, credentials) = try venue.load()
            diagnosis = try await Diagnosis.make(storePath: try sqlitePath(), options: options, live: live, credentials: credentials,
                                                 clock: SystemClock(), pause: { try? await Task.sleep(for: $0) })
        } else {
            diagnosis = try Diagnosis.make(storePath: try sqlitePath(), options: options)
        }
        for line in diagnosis.lines { print(line) }
        if let html {
            do { try diagnosis.html.write(toFile: html, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("--html \(html): cannot write the page (\(error.localizedDescription))")
            }
        }
        if diagnosis.venue.map({ !$0.snapshot.isComplete }) ?? false { throw ExitCode.failure }
    }

    /// The analytics read a SQLite store by path; a PostgreSQL store (`--config`) is refused with a clear line.
    func sqlitePath() throws -> String {
        guard let db else {
            throw ValidationError("qt diagnose reads a SQLite store: name it with --db FILE (a PostgreSQL store is not supported by qt diagnose yet)")
        }
        return db
    }
}
