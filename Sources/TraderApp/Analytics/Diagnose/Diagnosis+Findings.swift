import Backtest
import TradingEngine
import TradingModel

extension Diagnosis {
    /// Every rule over the facts, most severe first (in rule order within a severity).
    static func findings(_ diagnosis: Diagnosis, store: any TradeStore, allRuns: [RunRecord], allSignals: [DecisionRecord],
                         options: DiagnoseOptions) throws -> [Finding] {
        var found: [Finding] = []
        for position in diagnosis.positions { found += positionFindings(position, asOf: diagnosis.asOf, options: options) }
        found += correlatedBook(diagnosis.positions, options: options)
        found += againstTrend(allSignals.filter(\.approved), options: options)
        found += lowConfidence(allSignals.filter(\.approved), options: options)
        if let streak = try losingStreak(store: store, focus: diagnosis.runs, allRuns: allRuns) { found.append(streak) }
        if let model = diagnosis.model?.finding { found.append(model) }
        return found.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
    }

    static func pct(_ value: Double?) -> String {
        value.map { ($0 >= 0 ? "+" : "") + DisplayNumber.fixed($0, 2) + "%" } ?? "n/a"
    }

    static func age(_ span: Duration) -> String {
        let seconds = span.components.seconds
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
    }

    /// The position's figures as one evidence line.
    static func figuresLine(_ position: OpenPosition) -> String? {
        guard let figures = position.figures, let held = position.position else { return nil }
        return "price \(figures.price) (\(position.priceSource ?? "given")): price move \(pct(figures.returns.priceMovePct)), "
            + "ROE \(pct(figures.returns.roePct)) at \(held.leverage)x, unrealised PnL \(StatsReport.usdt(figures.unrealizedPnL)) USDT "
            + "on \(held.quantity) (notional \(StatsReport.usdt(figures.notional)) USDT)"
            + (figures.liquidationPrice.map { ", liquidation \($0)" } ?? "")
    }

    static func positionFindings(_ position: OpenPosition, asOf: Timestamp, options: DiagnoseOptions) -> [Finding] {
        let saved = position.saved
        let name = "\(saved.symbol) \(saved.side?.rawValue ?? "?")"
        let origin = "saved by \(saved.executor) of run #\(saved.runID) at \(saved.updatedAt)"
        var found: [Finding] = []
        if let problem = saved.problem {
            return [Finding(rule: "unprotected", severity: .critical, title: "\(saved.symbol): the exit state cannot be read; treat the position as unprotected",
                            evidence: [problem, origin])]
        }
        // the owner's last sign of life: its last price event, else the save of its state
        let lastSeen = saved.lastPriceEventAt ?? saved.updatedAt
        let ownerLine = "exit owner's last price event: " + (saved.lastPriceEventAt.map { "\($0)" } ?? "none since its state was saved at \(saved.updatedAt)")
            + " (\(age(asOf.since(lastSeen))) before \(asOf))"
        let backstopLine = saved.restingBackstop.map { "exchange backstop resting at \($0)" } ?? "no exchange backstop resting"
        if let stop = saved.stopPrice, position.stopBreached || position.firstCrossing != nil {
            var evidence = ["entry \(saved.entryPrice.map { "\($0)" } ?? "?"), stop \(stop) (\(origin))"]
            if let line = figuresLine(position) { evidence.append(line) }
            if let crossing = position.firstCrossing {
                let relation = saved.side == .long ? "low \(crossing.price) ≤" : "high \(crossing.price) ≥"
                evidence.append("first crossing: the \(crossing.time) candle, \(relation) stop \(stop)")
            }
            evidence += [ownerLine, backstopLine]
            let now = position.stopBreached ? "breached" : "was crossed"
            found.append(Finding(rule: "stop-breached-open", severity: .critical,
                                 title: "\(name): stop \(stop) \(now) and the position is still open", evidence: evidence))
        }
        if saved.stopPrice == nil || saved.restingBackstop == nil {
            found.append(Finding(rule: "unprotected", severity: .critical,
                                 title: "\(name): " + (saved.stopPrice == nil ? "no stop" : "no exchange backstop resting"),
                                 evidence: [origin, backstopLine] + (figuresLine(position).map { [$0] } ?? [])))
        }
        if asOf.since(lastSeen) > options.silentAfter {
            found.append(Finding(rule: "exit-owner-silent", severity: .warning,
                                 title: "\(name): the exit owner has processed no price for \(age(asOf.since(lastSeen)))",
                                 evidence: [ownerLine, "silent after \(age(options.silentAfter)) (the watchdog's heartbeat)", origin]))
        }
        if position.price == nil {
            found.append(Finding(rule: "no-price", severity: .info, title: "\(name): no price, so the stop and the figures were not checked",
                                 evidence: ["give --price \(saved.symbol)=PRICE or --data with a \(saved.symbol) kline file"]))
        }
        return found
    }

    /// Two or more open positions in the same direction move together.
    static func correlatedBook(_ positions: [OpenPosition], options: DiagnoseOptions) -> [Finding] {
        var found: [Finding] = []
        for side in Side.allCases {
            let same = positions.filter { $0.saved.side == side }
            guard same.count >= 2 else { continue }
            var evidence = ["\(same.count) open \(side.rawValue) positions: " + same.map { position in "\(position.saved.symbol)" + (position.figures.map { " (\(StatsReport.usdt($0.notional)) USDT)" } ?? "") }.joined(separator: ", ")]
            for first in same.indices {
                for second in same.indices where second > first {
                    let a = same[first].saved.symbol, b = same[second].saved.symbol
                    if let correlation = returnCorrelation(a, b, options: options) {
                        evidence.append("correlation of \(a) and \(b) bar returns over the last \(correlation.bars) common bars: \(DisplayNumber.fixed(correlation.value, 2))")
                    }
                }
            }
            found.append(Finding(rule: "correlated-book", severity: .warning,
                                 title: "\(same.count) \(side.rawValue) positions open at once: one market move hits them all", evidence: evidence))
        }
        return found
    }

    static func returnCorrelation(_ a: Symbol, _ b: Symbol, options: DiagnoseOptions, bars: Int = 100) -> (value: Double, bars: Int)? {
        guard let first = options.candles[a], let second = options.candles[b] else { return nil }
        let closesB = Dictionary(second.map { ($0.openTime, $0.close.doubleValue) }, uniquingKeysWith: { $1 })
        let common = first.compactMap { candle in closesB[candle.openTime].map { (candle.close.doubleValue, $0) } }.suffix(bars + 1)
        guard common.count >= 3 else { return nil }
        let pairs = Array(common)
        let returnsA = (1..<pairs.count).map { pairs[$0].0 / pairs[$0 - 1].0 - 1 }
        let returnsB = (1..<pairs.count).map { pairs[$0].1 / pairs[$0 - 1].1 - 1 }
        return TechnicalIndicators.correlation(returnsA, returnsB).map { ($0, returnsA.count) }
    }

    /// An approved entry against the trend at its signal time, by the validator's own rule
    /// (`TrendAssessment.measure` on the hourly closes completed by then): a SHORT in an uptrend
    /// or a LONG in a downtrend.
    static func againstTrend(_ approved: [DecisionRecord], options: DiagnoseOptions) -> [Finding] {
        var found: [Finding] = []
        for decision in approved.suffix(options.signalLimit) {
            let signal = decision.signal
            guard let candles = options.candles[signal.symbol] else { continue }
            let closes = hourlyCloses(candles, interval: options.candleIntervals[signal.symbol] ?? .seconds(3600), before: signal.time)
            guard case .success(let trend) = TrendAssessment.measure(hourlyCloses: closes, symbol: signal.symbol, settings: options.trend),
                  (signal.side == .short && trend.direction == .up) || (signal.side == .long && trend.direction == .down) else { continue }
            let settings = options.trend
            found.append(Finding(
                rule: "entry-against-trend", severity: .warning,
                title: "\(signal.symbol) \(signal.side.rawValue) entry at \(signal.time) against the \(trend.direction)trend",
                evidence: ["EMA(\(settings.fastPeriod)) \(DisplayNumber.fixed(trend.emaFast, 4)) \(trend.direction == .up ? ">" : "<") "
                           + "EMA(\(settings.slowPeriod)) \(DisplayNumber.fixed(trend.emaSlow, 4)), slope of EMA(\(settings.fastPeriod)) over "
                           + "\(settings.slopeLookback) bars \(DisplayNumber.fixed(trend.slope * 100, 3))% (\(closes.count) hourly closes before the signal)",
                           "approved in run #\(decision.runID)" + (signal.confidence.map { " at confidence \(DisplayNumber.fixed($0, 2))" } ?? "")
                           + (options.trendCheckEnabled ? "" : "; the validator's trend check was off in the given configuration")]))
        }
        return found
    }

    /// The close of each UTC hour completed at or before `time` (the last candle of the hour).
    static func hourlyCloses(_ candles: [Candle], interval: Duration, before time: Timestamp) -> [Double] {
        var closes: [Double] = []
        var currentHour = Int64.min
        for candle in candles {
            let closeTime = candle.openTime.advanced(by: interval)
            guard closeTime <= time else { break }
            let hour = (closeTime.milliseconds - 1) / 3_600_000
            if hour == currentHour { closes[closes.count - 1] = candle.close.doubleValue } else {
                closes.append(candle.close.doubleValue)
                currentHour = hour
            }
        }
        // the last hour counts only when complete
        if let last = candles.last(where: { $0.openTime.advanced(by: interval) <= time }),
           last.openTime.advanced(by: interval).milliseconds % 3_600_000 != 0, !closes.isEmpty {
            closes.removeLast()
        }
        return closes
    }

    /// Approved entries whose confidence is below the validated threshold.
    static func lowConfidence(_ approved: [DecisionRecord], options: DiagnoseOptions) -> [Finding] {
        guard let threshold = options.minConfidence else { return [] }
        let below = approved.filter { ($0.signal.confidence ?? 1) < threshold }
        guard !below.isEmpty else { return [] }
        return [Finding(rule: "confidence-below-threshold", severity: .warning,
                        title: "\(below.count) approved entries below the validated confidence \(DisplayNumber.fixed(threshold, 2))",
                        evidence: below.suffix(5).map { "\($0.signal.symbol) \($0.signal.side.rawValue) at \($0.signal.time): confidence "
                            + "\(DisplayNumber.fixed($0.signal.confidence ?? 0, 2)) < \(DisplayNumber.fixed(threshold, 2)) (run #\($0.runID))" })]
    }

    /// The current losing streak of the focused paper/live runs against the loss rate of the
    /// same strategy's backtests in the store: a finding when a streak at least this long in
    /// that many trades has a probability below 5%.
    static func losingStreak(store: any TradeStore, focus: [RunRecord], allRuns: [RunRecord]) throws -> Finding? {
        let trading = focus.filter { $0.kind != .backtest }
        guard let strategy = trading.last?.strategyName else { return nil }
        var live: [TradeRecord] = []
        for run in trading { if let id = run.id { live += try store.trades(runID: id) } }
        live.sort { $0.exitTime < $1.exitTime }
        let streak = LosingStreak.current(live.map(\.netPnL.isPositive))
        guard streak >= 2 else { return nil }
        var backtest: [TradeRecord] = []
        for run in allRuns where run.kind == .backtest && run.strategyName == strategy { if let id = run.id { backtest += try store.trades(runID: id) } }
        guard backtest.count >= TradeStatistics.minimumIndependentTrades else { return nil }
        let lossRate = Double(backtest.filter { !$0.netPnL.isPositive }.count) / Double(backtest.count)
        let probability = LosingStreak.probability(ofAtLeast: streak, in: live.count, lossRate: lossRate)
        guard probability < 0.05 else { return nil }
        return Finding(rule: "losing-streak", severity: .warning,
                       title: "\(streak) losses in a row: less than \(DisplayNumber.fixed(probability * 100, 1))% likely under the backtests' loss rate",
                       evidence: ["last \(streak) of \(live.count) closed \(strategy) paper/live trades lost (latest exit \(live.last!.exitTime))",
                                  "\(strategy) backtests in the store: \(backtest.count) trades, loss rate \(DisplayNumber.fixed(lossRate * 100, 1))%",
                                  "P(a run of ≥ \(streak) losses in \(live.count) independent trades) = \(DisplayNumber.fixed(probability, 4))"])
    }
}
