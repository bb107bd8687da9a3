import TradingModel

/// Higher-timeframe checks on the validator's own hourly history: trend, regime, correlation.
extension PreTradeValidator {
    /// EMA fast / slow of hourly closes and the slope of the fast EMA; `checkUnavailable` when the
    /// history is too short.
    public func trendAssessment(of symbol: Symbol) -> Result<TrendAssessment, RejectionReason> {
        TrendAssessment.measure(hourlyCloses: (histories[symbol]?.hourlyBars ?? []).map(\.close.doubleValue), symbol: symbol, settings: settings.trend)
    }

    /// ADX regime and realized-volatility percentile of hourly bars; `checkUnavailable` when short.
    public func regimeAssessment(of symbol: Symbol) -> Result<RegimeAssessment, RejectionReason> {
        let regime = settings.regime
        let bars = histories[symbol]?.hourlyBars ?? []
        guard regime.adxPeriod >= 1, regime.volatilityWindow >= 2, regime.volatilityLookback >= 1 else {
            return .failure(.checkUnavailable(.regime, "ADX period, volatility window and lookback are invalid"))
        }
        guard bars.count >= regime.requiredBars else {
            return .failure(.checkUnavailable(.regime, "\(bars.count) hourly bars of \(symbol), need \(regime.requiredBars)"))
        }
        guard let adx = TechnicalIndicators.averageDirectionalIndex(
            high: bars.map(\.high.doubleValue), low: bars.map(\.low.doubleValue), close: bars.map(\.close.doubleValue),
            period: regime.adxPeriod)
        else { return .failure(.checkUnavailable(.regime, "ADX of \(symbol) could not be computed")) }
        let closes = bars.map(\.close.doubleValue)
        var returns: [Double] = []
        for index in 1..<closes.count where closes[index - 1] > 0 { returns.append(closes[index] / closes[index - 1] - 1) }
        var volatilities: [Double] = []
        let firstEnd = max(regime.volatilityWindow, returns.count - regime.volatilityLookback + 1)
        if firstEnd <= returns.count {
            for end in firstEnd...returns.count {
                if let deviation = TechnicalIndicators.standardDeviation(returns[(end - regime.volatilityWindow)..<end]) {
                    volatilities.append(deviation)
                }
            }
        }
        guard volatilities.count >= regime.volatilityLookback, let percentile = TechnicalIndicators.percentileOfLast(volatilities) else {
            return .failure(.checkUnavailable(.regime, "realized volatility of \(symbol) could not be ranked"))
        }
        let kind: MarketRegime =
            if percentile >= regime.extremeVolatilityPercentile { .highVolatility }
            else if adx.adx >= regime.trendingADX { adx.plusDI >= adx.minusDI ? .trendingUp : .trendingDown }
            else { .ranging }
        return .success(RegimeAssessment(regime: kind, adx: adx.adx, plusDirectionalIndex: adx.plusDI,
                                         minusDirectionalIndex: adx.minusDI, volatilityPercentile: percentile, btcTrend: nil))
    }

    /// Pearson correlation of the two symbols' hourly returns over the last `window` returns of
    /// `symbol` that `other` also has; `checkUnavailable` below `minimumOverlap` aligned returns.
    public func returnCorrelation(of symbol: Symbol, with other: Symbol) -> Result<Double, RejectionReason> {
        let check = settings.correlation
        let own = histories[symbol]?.hourlyReturns() ?? []
        var others: [Int64: Double] = [:]
        for item in histories[other]?.hourlyReturns() ?? [] { others[item.time.milliseconds] = item.value }
        var first: [Double] = []
        var second: [Double] = []
        for item in own.reversed() {
            guard first.count < check.window else { break }
            if let value = others[item.time.milliseconds] {
                first.append(item.value)
                second.append(value)
            }
        }
        guard first.count >= max(check.minimumOverlap, 2) else {
            return .failure(.checkUnavailable(.correlation, "\(first.count) aligned hourly returns of \(symbol) and \(other), need \(max(check.minimumOverlap, 2))"))
        }
        guard let value = TechnicalIndicators.correlation(first, second) else {
            return .failure(.checkUnavailable(.correlation, "correlation of \(symbol) and \(other) is undefined (constant returns)"))
        }
        return .success(value)
    }

    func checkTrend(_ signal: Signal, into report: inout ValidationReport) {
        guard settings.trend.isEnabled else { return }
        switch trendAssessment(of: signal.symbol) {
        case .failure(let reason):
            report.reasons.append(reason)
        case .success(let trend):
            report.trend = trend
            if (signal.side == .short && trend.direction == .up) || (signal.side == .long && trend.direction == .down) {
                report.reasons.append(.againstTrend(signal.side, trend.direction, emaFast: trend.emaFast, emaSlow: trend.emaSlow, slope: trend.slope))
            }
        }
    }

    func checkRegime(_ signal: Signal, at time: Timestamp, into report: inout ValidationReport) {
        let rules = settings.regime
        guard rules.isEnabled else { return }
        var btcTrend: TrendDirection?
        if rules.followBTCTrend && signal.symbol != rules.btcSymbol && histories[rules.btcSymbol] != nil {
            let stale = freshness(of: rules.btcSymbol, at: time, check: .regime)
            report.reasons += stale
            switch trendAssessment(of: rules.btcSymbol) {
            case .failure(let reason):
                if case .checkUnavailable(_, let why) = reason { report.reasons.append(.checkUnavailable(.regime, "BTC trend: \(why)")) }
            case .success(let trend):
                btcTrend = trend.direction
                if stale.isEmpty && ((signal.side == .long && trend.direction == .down) || (signal.side == .short && trend.direction == .up)) {
                    report.reasons.append(.againstBTCTrend(signal.side, btcTrend: trend.direction))
                }
            }
        }
        switch regimeAssessment(of: signal.symbol) {
        case .failure(let reason):
            report.reasons.append(reason)
        case .success(var assessment):
            assessment.btcTrend = btcTrend
            report.regime = assessment
            if rules.blockedRegimes.contains(assessment.regime) {
                report.reasons.append(.regimeBlocked(assessment.regime, adx: assessment.adx, volatilityPercentile: assessment.volatilityPercentile))
            } else if let multiplier = rules.sizeMultipliers[assessment.regime], multiplier != Rate(units: 1) {
                report.adjustments.append(.regime(assessment.regime, multiplier: multiplier))
            }
        }
    }

    func checkCorrelation(_ signal: Signal, context: EntryContext, into report: inout ValidationReport) {
        let check = settings.correlation
        guard check.isEnabled else { return }
        for position in context.openPositions where position.side == signal.side && position.symbol != signal.symbol {
            let stale = freshness(of: position.symbol, at: context.time, check: .correlation)
            report.reasons += stale
            switch returnCorrelation(of: signal.symbol, with: position.symbol) {
            case .failure(let reason):
                report.reasons.append(reason)
            case .success(let correlation):
                report.correlations[position.symbol] = correlation
                guard correlation > check.limit else { continue }
                switch check.action {
                case .reject:
                    report.reasons.append(.correlatedExposure(with: position.symbol, correlation: correlation, limit: check.limit))
                case .reduceSize(let multiplier):
                    report.adjustments.append(.correlatedExposure(with: position.symbol, correlation: correlation, limit: check.limit, multiplier: multiplier))
                }
            }
        }
    }
}
