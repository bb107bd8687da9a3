import TradingModel

/// Why an entry was refused, with the measured values behind it. `description` is the text
/// stored with the decision (`confidenceBelowThreshold(0.72, required: 0.80)`); `kind` is a stable
/// key for aggregation (rejection tables, counterfactuals).
public enum RejectionReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// The risk engine is HALTED (daily loss limit or a person).
    case riskHalted(cause: String)
    case confidenceBelowThreshold(Double, required: Double)
    /// SHORT in an uptrend or LONG in a downtrend on the higher timeframe.
    case againstTrend(Side, TrendDirection, emaFast: Double, emaSlow: Double, slope: Double)
    case regimeBlocked(MarketRegime, adx: Double, volatilityPercentile: Double)
    /// An altcoin entry against BTC's higher-timeframe trend.
    case againstBTCTrend(Side, btcTrend: TrendDirection)
    case correlatedExposure(with: Symbol, correlation: Double, limit: Double)
    /// `|net| / gross` notional of the book with the candidate.
    case directionalExposure(netShare: Double, limit: Double)
    case positionAlreadyOpen(Symbol, Side)
    case maxOpenPositions(open: Int, limit: Int)
    /// The symbol's notional (open plus candidate) would exceed its cap.
    case symbolNotionalCap(current: Money, cap: Money)
    /// The book's notional (open plus candidate) would exceed the total cap.
    case totalNotionalCap(current: Money, cap: Money)
    case insufficientMargin(available: Money)
    case leverageCap(Int, cap: Int)
    /// Distance between stop and liquidation as a share of entry (negative: stop beyond liquidation).
    case stopTooCloseToLiquidation(stop: Price, liquidation: Price, distance: Double, required: Double)
    /// Expected funding against the position over the holding horizon, as a share of notional.
    case fundingAgainstPosition(expected: Rate, threshold: Rate)
    case cooldownAfterStopLoss(until: Timestamp)
    case belowMinNotional(Money, minimum: Money)
    case exitPlanRejected(String)
    /// The fixed-notional sizer: the margin of the fixed notional exceeds what is available.
    case marginShortfall(required: Money, available: Money)
    /// The candidate's price is zero or negative (no size can be made from it).
    case priceNotPositive(Price)
    /// The fixed notional at this price floors to zero on the quantity step.
    case quantityRoundsToZero(notional: Money, price: Price)
    /// A size or level computed from the price does not fit 64-bit fixed point (what, as text).
    case arithmeticOverflow(String)
    /// Our ledger could not book something earlier: no entry is judged against it.
    case ledgerFault(ArithmeticFault)
    /// The real-time runtime held the signal before the gate saw it (reconciliation pending,
    /// stale data, a manual halt, …), with why.
    case entryBlocked(String)
    /// A check could not be evaluated (missing or stale data, too little history): fail closed.
    case checkUnavailable(ValidationCheck, String)

    /// Stable snake-case key of the reason, without values.
    public var kind: String {
        switch self {
        case .riskHalted: "risk_halted"
        case .confidenceBelowThreshold: "confidence_below_threshold"
        case .againstTrend: "against_trend"
        case .regimeBlocked: "regime_blocked"
        case .againstBTCTrend: "against_btc_trend"
        case .correlatedExposure: "correlated_exposure"
        case .directionalExposure: "directional_exposure"
        case .positionAlreadyOpen: "position_already_open"
        case .maxOpenPositions: "max_open_positions"
        case .symbolNotionalCap: "symbol_notional_cap"
        case .totalNotionalCap: "total_notional_cap"
        case .insufficientMargin: "insufficient_margin"
        case .leverageCap: "leverage_cap"
        case .stopTooCloseToLiquidation: "stop_too_close_to_liquidation"
        case .fundingAgainstPosition: "funding_against_position"
        case .cooldownAfterStopLoss: "cooldown_after_stop_loss"
        case .belowMinNotional: "below_min_notional"
        case .exitPlanRejected: "exit_plan_rejected"
        case .marginShortfall: "insufficient_margin"
        case .priceNotPositive: "price_not_positive"
        case .quantityRoundsToZero: "quantity_rounds_to_zero"
        case .arithmeticOverflow: "arithmetic_overflow"
        case .ledgerFault: "ledger_fault"
        case .entryBlocked: "entry_blocked"
        case .checkUnavailable(let check, _): "check_unavailable.\(check.rawValue)"
        }
    }

    public var description: String {
        func number(_ value: Double, _ places: Int = 2) -> String { DecimalText.fixed(value, places: places) }
        switch self {
        case .riskHalted(let cause):
            return "riskHalted(\(cause))"
        case .confidenceBelowThreshold(let confidence, let required):
            return "confidenceBelowThreshold(\(number(confidence)), required: \(number(required)))"
        case .againstTrend(let side, let trend, let fast, let slow, let slope):
            return "againstTrend(\(side), trend: \(trend), ema50: \(number(fast, 6)), ema200: \(number(slow, 6)), slope: \(number(slope, 6)))"
        case .regimeBlocked(let regime, let adx, let percentile):
            return "regimeBlocked(\(regime), adx: \(number(adx)), volatilityPercentile: \(number(percentile)))"
        case .againstBTCTrend(let side, let trend):
            return "againstBTCTrend(\(side), btcTrend: \(trend))"
        case .correlatedExposure(let symbol, let correlation, let limit):
            return "correlatedExposure(with: \(symbol), correlation: \(number(correlation, 3)), limit: \(number(limit)))"
        case .directionalExposure(let share, let limit):
            return "directionalExposure(netShare: \(number(share, 3)), limit: \(number(limit)))"
        case .positionAlreadyOpen(let symbol, let side):
            return "positionAlreadyOpen(\(symbol), \(side))"
        case .maxOpenPositions(let open, let limit):
            return "maxOpenPositions(open: \(open), limit: \(limit))"
        case .symbolNotionalCap(let current, let cap):
            return "symbolNotionalCap(current: \(current) USDT, cap: \(cap) USDT)"
        case .totalNotionalCap(let current, let cap):
            return "totalNotionalCap(current: \(current) USDT, cap: \(cap) USDT)"
        case .insufficientMargin(let available):
            return "insufficientMargin(available: \(available) USDT)"
        case .leverageCap(let leverage, let cap):
            return "leverageCap(\(leverage), cap: \(cap))"
        case .stopTooCloseToLiquidation(let stop, let liquidation, let distance, let required):
            return "stopTooCloseToLiquidation(stop: \(stop), liquidation: \(liquidation), distance: \(DecimalText.percent(distance)), required: \(DecimalText.percent(required)))"
        case .fundingAgainstPosition(let expected, let threshold):
            return "fundingAgainstPosition(expected: \(DecimalText.percent(expected.doubleValue, places: 4)), threshold: \(DecimalText.percent(threshold.doubleValue, places: 4)))"
        case .cooldownAfterStopLoss(let until):
            return "cooldownAfterStopLoss(until: \(until))"
        case .belowMinNotional(let notional, let minimum):
            return "belowMinNotional(\(notional) USDT, minimum: \(minimum) USDT)"
        case .exitPlanRejected(let message):
            return "exitPlanRejected(\(message))"
        case .marginShortfall(let required, let available):
            return "insufficientMargin(required: \(required), available: \(available))"
        case .priceNotPositive(let price):
            return "priceNotPositive(\(price))"
        case .quantityRoundsToZero(let notional, let price):
            return "quantityRoundsToZero(notional: \(notional), price: \(price))"
        case .arithmeticOverflow(let what):
            return "arithmeticOverflow(\(what))"
        case .ledgerFault(let fault):
            return "ledgerFault(\(fault))"
        case .entryBlocked(let why):
            return "entryBlocked(\(why))"
        case .checkUnavailable(let check, let why):
            return "checkUnavailable(\(check), \(why))"
        }
    }
}
