import Backtest
import Foundation
import TradingEngine
import TradingModel

extension Diagnosis {
    /// Reads the store and builds the diagnosis. The focus is every run with an open position,
    /// plus the latest paper or live run (else the latest run). Errors are one line.
    public init(store: any TradeStore, storeName: String, options: DiagnoseOptions) throws(AnalyticsError) {
        do {
            try self.init(reading: store, storeName: storeName, options: options)
        } catch let error as AnalyticsError {
            throw error
        } catch {
            throw AnalyticsError.store(storeName, error)
        }
    }

    private init(reading store: any TradeStore, storeName: String, options: DiagnoseOptions) throws {
        let allRuns = try store.runs()
        guard !allRuns.isEmpty else { throw AnalyticsError("\(storeName) holds no runs yet: nothing to diagnose") }
        var saved: [(ExitStateRecord, ExitExecutorState?)] = []
        for run in allRuns {
            guard let id = run.id else { continue }
            for record in try store.exitStates(runID: id) {
                saved.append((record, try? JSONDecoder().decode(ExitExecutorState.self, from: Data(record.stateJSON.utf8))))
            }
        }
        let latestTrading = allRuns.last { $0.kind != .backtest } ?? allRuns.last!
        let focusIDs = Set(saved.map(\.0.runID)).union([latestTrading.id].compactMap { $0 })
        runs = allRuns.filter { $0.id.map(focusIDs.contains) ?? false }

        var signals: [DecisionRecord] = [], alerts: [AlertRecord] = [], latest = Timestamp(milliseconds: .min)
        for run in runs {
            guard let id = run.id else { continue }
            signals += try store.decisions(runID: id)
            alerts += try store.alerts(runID: id)
            latest = max(latest, run.finishedAt ?? run.startedAt)
        }
        for (record, _) in saved { latest = max(latest, record.updatedAt, record.lastPriceEventAt ?? latest) }
        for signal in signals { latest = max(latest, signal.time) }
        for alert in alerts { latest = max(latest, alert.alert.time) }
        let time = options.asOf ?? latest
        asOf = time
        self.signals = Array(signals.suffix(options.signalLimit))
        self.alerts = Array(alerts.suffix(options.alertLimit))
        positions = saved.map { Self.openPosition($0.0, state: $0.1, options: options, asOf: time) }
        account = try Self.accountLines(store: store, runs: runs)
        if let expectation = options.model {
            var modelDecisions: [DecisionRecord] = []
            for run in allRuns where run.kind != .backtest { if let id = run.id { modelDecisions += try store.decisions(runID: id) } }
            let measured = ModelHealth.measure(expectation: expectation, runs: allRuns, decisions: modelDecisions, candles: options.candles,
                                               candleIntervals: options.candleIntervals, asOf: time)
            model = measured
            modelHealth = measured.lines
        } else {
            model = nil
            modelHealth = Self.modelHealth(runs: runs, decisions: signals)
        }
        findings = []
        findings = try Self.findings(self, store: store, allRuns: allRuns, allSignals: signals, options: options)
    }

    static func openPosition(_ record: ExitStateRecord, state: ExitExecutorState?, options: DiagnoseOptions, asOf: Timestamp) -> OpenPosition {
        let saved = StoreStatus.position(record)
        var result = OpenPosition(saved: saved, leverage: state?.leverage, stopBreached: false)
        guard let state, saved.problem == nil, let position = Self.position(state, record: record) else { return result }
        result.position = position
        if let price = options.prices[record.symbol] {
            result.price = price
            result.priceSource = "--price"
        } else if let candle = options.candles[record.symbol]?.last(where: { $0.openTime <= asOf }) {
            result.price = candle.close
            result.priceSource = "close of the \(candle.openTime) candle"
        }
        if result.price == nil, let mark = options.venueMarks[record.symbol] {
            result.price = mark.price
            result.priceSource = "venue mark price at \(mark.time)"
        }
        if let price = result.price, Self.fits(price, position.quantity) {
            result.figures = PositionFigures.of(position, at: price, instrument: BundledInstruments.instrument(record.symbol))
            result.stopBreached = state.side == .long ? price <= state.stopPrice : price >= state.stopPrice
        }
        if let candles = options.candles[record.symbol] {
            let since = record.lastPriceEventAt ?? Timestamp(milliseconds: .min)
            let interval = options.candleIntervals[record.symbol] ?? .zero
            let crossing = candles.first { candle in
                candle.openTime.advanced(by: interval) > since && candle.openTime <= asOf
                    && (state.side == .long ? candle.low <= state.stopPrice : candle.high >= state.stopPrice)
            }
            result.firstCrossing = crossing.map { ($0.openTime, state.side == .long ? $0.low : $0.high) }
        }
        return result
    }

    /// The saved state as a `Position` (initial margin = entry notional / leverage), or nil when
    /// its values are not a real position (zero size, no leverage, a notional out of range).
    static func position(_ state: ExitExecutorState, record: ExitStateRecord) -> Position? {
        position(symbol: state.symbol, side: state.side, quantity: state.openQuantity, entryPrice: state.entryPrice,
                 leverage: state.leverage, openedAt: record.updatedAt)
    }

    /// A position as every view of `qt diagnose` figures it (the store's saved states and the
    /// venue's positions alike): initial margin = entry notional / leverage, rounded up. Nil when
    /// the values are not a real position (zero size, leverage outside 1…125, a notional out of range).
    static func position(symbol: Symbol, side: Side, quantity: Quantity, entryPrice: Price, leverage: Int, openedAt: Timestamp) -> Position? {
        guard quantity.isPositive, entryPrice.isPositive, leverage >= 1, leverage <= 125, fits(entryPrice, quantity) else { return nil }
        let notional = entryPrice.notional(quantity, .nearest)
        return Position(symbol: symbol, side: side, quantity: quantity, entryPrice: entryPrice,
                        leverage: leverage, isolatedMargin: notional.divided(by: Int64(leverage), .up), openedAt: openedAt)
    }

    /// `price × quantity` fits the fixed-point range with room for the PnL arithmetic.
    static func fits(_ price: Price, _ quantity: Quantity) -> Bool {
        guard price.raw > 0, price.raw < 1 << 50, quantity.raw >= 0 else { return false }
        let product = Int128(price.raw) * Int128(quantity.raw) / Int128(FixedPoint.scale)
        return product < Int128(1) << 60
    }

    static func accountLines(store: any TradeStore, runs: [RunRecord]) throws -> [String] {
        var lines: [String] = []
        for run in runs.reversed() {
            guard let id = run.id else { continue }
            let state = run.finishedAt.map { "finished \($0)" } ?? "running or stopped without finishing"
            var line = "run #\(id) \(run.kind.rawValue) \(run.strategyName), started \(run.startedAt), \(state)"
            if let sample = try store.equity(runID: id).last {
                line += "; equity \(StatsReport.usdt(sample.equity)) USDT (wallet \(StatsReport.usdt(sample.walletBalance))) at \(sample.time)"
            }
            let trades = try store.trades(runID: id)
            let net = trades.reduce(Int128(0)) { $0 + Int128($1.netPnL.raw) }
            line += "; \(trades.count) closed trades, net \(Int64(exactly: net).map { StatsReport.usdt(Money(raw: $0)) } ?? "out of range") USDT"
            lines.append(line)
        }
        lines += try RiskControl.status(store: store, limit: 3).lines
        return lines
    }

    /// What the store alone says about the model: the signals' confidences. The live hit rate
    /// against the out-of-sample expectation needs the model's report (`--model DIR`).
    static func modelHealth(runs: [RunRecord], decisions: [DecisionRecord]) -> [String] {
        let confidences = decisions.compactMap(\.signal.confidence).filter(\.isFinite)
        guard !confidences.isEmpty else {
            return ["no signal with a confidence in these runs (\(decisions.count) signals); the live hit rate against the "
                    + "out-of-sample expectation needs the model's report: give --model DIR (the directory qt train wrote)"]
        }
        let approved = decisions.filter(\.approved).count
        let mean = confidences.reduce(0, +) / Double(confidences.count)
        return ["\(decisions.count) signals, \(approved) approved; mean confidence \(DisplayNumber.fixed(mean, 3)) "
                + "(min \(DisplayNumber.fixed(confidences.min()!, 3)), max \(DisplayNumber.fixed(confidences.max()!, 3)))",
                "the live hit rate against the out-of-sample expectation needs the model's report: give --model DIR (the directory qt train wrote)"]
    }
}

extension Diagnosis {
    /// `qt diagnose` without the terminal: opens the existing store at `path` (a missing or
    /// damaged file is a one-line error, never a new store) and diagnoses it.
    public static func make(storePath path: String, options: DiagnoseOptions) throws(AnalyticsError) -> Diagnosis {
        let store: any TradeStore
        do { store = try TradeStoreFactory.openReadOnly(sqlitePath: path) } catch { throw AnalyticsError.store(path, error) }
        return try Diagnosis(store: store, storeName: path, options: options)
    }
}
