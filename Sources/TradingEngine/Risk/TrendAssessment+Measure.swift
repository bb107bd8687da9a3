import TradingModel

extension TrendAssessment {
    /// The validator's trend rule on hourly closes (oldest first): EMA fast against slow and the
    /// fast EMA's relative slope over `slopeLookback` bars; up when fast > slow and the slope is
    /// above the flat band, down when below, else mixed. `checkUnavailable` when the history is
    /// too short. The one definition used by the validator and by `qt diagnose`.
    public static func measure(hourlyCloses closes: [Double], symbol: Symbol, settings trend: ValidationSettings.Trend) -> Result<TrendAssessment, RejectionReason> {
        guard trend.fastPeriod >= 1, trend.slowPeriod >= 1, trend.slopeLookback >= 1 else {
            return .failure(.checkUnavailable(.trend, "EMA periods and slope lookback must be at least 1"))
        }
        guard closes.count >= trend.requiredBars else {
            return .failure(.checkUnavailable(.trend, "\(closes.count) hourly bars of \(symbol), need \(trend.requiredBars)"))
        }
        guard let fast = TechnicalIndicators.exponentialMovingAverage(closes, period: trend.fastPeriod),
              let slow = TechnicalIndicators.exponentialMovingAverage(closes, period: trend.slowPeriod),
              fast.count > trend.slopeLookback, let fastNow = fast.last, let slowNow = slow.last
        else {
            return .failure(.checkUnavailable(.trend, "EMA of \(symbol) could not be computed"))
        }
        let fastBefore = fast[fast.count - 1 - trend.slopeLookback]
        guard fastBefore > 0 else { return .failure(.checkUnavailable(.trend, "EMA of \(symbol) is not positive")) }
        let slope = fastNow / fastBefore - 1
        let direction: TrendDirection =
            if fastNow > slowNow && slope > trend.flatSlope { .up }
            else if fastNow < slowNow && slope < -trend.flatSlope { .down }
            else { .mixed }
        return .success(TrendAssessment(direction: direction, emaFast: fastNow, emaSlow: slowNow, slope: slope))
    }
}
