import Foundation
import TradingConfig
import TradingEngine
import TradingModel

extension ValidationSettings {
    /// `[validation]`: every check with its switch (`<check>_check = true|false`) and its
    /// parameters; defaults equal the in-code ones and config/default.toml. `sizing` is mapped
    /// separately from `[sizing]`.
    public init(from section: ConfigSection) throws(ConfigError) {
        self.init()
        confidence.isEnabled = try section.bool("confidence_check", default: true)
        confidence.minimum = try section.double("min_confidence", default: 0.80, range: 0...1)

        trend.isEnabled = try section.bool("trend_check", default: true)
        trend.fastPeriod = try section.int("trend_fast_period", default: 50, range: 2...1000)
        trend.slowPeriod = try section.int("trend_slow_period", default: 200, range: 3...2000)
        if trend.slowPeriod <= trend.fastPeriod { throw section.invalid("trend_slow_period", "must be greater than trend_fast_period (\(trend.fastPeriod))") }
        trend.slopeLookback = try section.int("trend_slope_lookback", default: 5, range: 1...100)
        trend.flatSlope = try section.double("trend_flat_slope", default: 0, range: 0...1)

        regime.isEnabled = try section.bool("regime_check", default: true)
        regime.adxPeriod = try section.int("adx_period", default: 14, range: 2...200)
        regime.trendingADX = try section.double("trending_adx", default: 25, range: 0...100)
        regime.volatilityWindow = try section.int("volatility_window", default: 24, range: 2...1000)
        regime.volatilityLookback = try section.int("volatility_lookback", default: 168, range: 2...5000)
        if regime.volatilityLookback < regime.volatilityWindow {
            throw section.invalid("volatility_lookback", "(\(regime.volatilityLookback)) must be at least volatility_window (\(regime.volatilityWindow))")
        }
        regime.extremeVolatilityPercentile = try section.double("extreme_volatility_percentile", default: 0.95, range: 0...1)
        var blocked: Set<MarketRegime> = []
        for name in try section.stringArray("blocked_regimes", default: ["high_volatility"]) {
            guard let value = MarketRegime(rawValue: name) else {
                throw section.invalid("blocked_regimes", "\"\(name)\" is not one of: \(MarketRegime.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            blocked.insert(value)
        }
        regime.blockedRegimes = blocked
        var multipliers: [MarketRegime: Rate] = [:]
        for entry in try section.stringArray("regime_size_multipliers", default: ["ranging=0.5"]) {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = MarketRegime(rawValue: parts[0]), let rate = Rate(parts[1]), rate.isPositive, rate <= Rate(units: 1) else {
                throw section.invalid("regime_size_multipliers", "entry \"\(entry)\" is not \"<regime>=<multiplier in (0, 1]>\"")
            }
            multipliers[value] = rate
        }
        regime.sizeMultipliers = multipliers
        regime.followBTCTrend = try section.bool("follow_btc_trend", default: true)
        let btc = try section.string("btc_symbol", default: "BTCUSDT")
        guard let btcSymbol = Symbol(btc) else { throw section.invalid("btc_symbol", "\"\(btc)\" is not a symbol") }
        regime.btcSymbol = btcSymbol

        correlation.isEnabled = try section.bool("correlation_check", default: true)
        correlation.window = try section.int("correlation_window", default: 48, range: 3...1000)
        correlation.minimumOverlap = try section.int("correlation_minimum_overlap", default: 24, range: 2...1000)
        if correlation.minimumOverlap > correlation.window {
            throw section.invalid("correlation_minimum_overlap",
                                  "(\(correlation.minimumOverlap)) must not exceed correlation_window (\(correlation.window)): no window could ever overlap enough")
        }
        correlation.limit = try section.double("correlation_limit", default: 0.80, range: 0...1)
        let action = try section.choice("correlation_action", allowed: ["reject", "reduce-size"], default: "reject")
        let factor = try section.rate("correlation_size_multiplier", default: Rate("0.5")!, range: Rate("0.01")!...Rate("0.99")!)
        correlation.action = action == "reject" ? .reject : .reduceSize(factor)

        directionalExposure.isEnabled = try section.bool("exposure_check", default: true)
        directionalExposure.limit = try section.double("exposure_limit", default: 0.80, range: 0...1)
        directionalExposure.minimumPositions = try section.int("exposure_minimum_positions", default: 2, range: 1...100)

        book.isEnabled = try section.bool("book_check", default: true)
        book.maximumOpenPositions = try section.int("maximum_open_positions", default: 3, range: 1...1000)
        book.allowAddingToOpenPosition = try section.bool("allow_adding_to_open_position", default: false)
        book.maximumSymbolNotional = try Self.limit(section, "maximum_symbol_notional", default: "0.5x")
        book.maximumTotalNotional = try Self.limit(section, "maximum_total_notional", default: "1.5x")

        funding.isEnabled = try section.bool("funding_check", default: true)
        funding.holdingHorizon = try section.duration("funding_holding_horizon", default: .seconds(24 * 3600), range: .seconds(0)...Duration.seconds(30 * 86_400))
        funding.fundingInterval = try section.duration("funding_interval", default: .seconds(8 * 3600), range: .seconds(3600)...Duration.seconds(86_400))
        funding.threshold = try section.rate("funding_threshold", default: Rate("0.001")!, range: Rate.zero...Rate("0.1")!)

        cooldown.isEnabled = try section.bool("cooldown_check", default: true)
        cooldown.duration = try section.duration("cooldown", default: .seconds(4 * 3600), range: .seconds(0)...Duration.seconds(30 * 86_400))
        var reasons: Set<ExitReason> = []
        for name in try section.stringArray("cooldown_reasons", default: ["stop_loss", "backstop", "liquidation"]) {
            guard let reason = ExitReason(rawValue: name) else { throw section.invalid("cooldown_reasons", "\"\(name)\" is not an exit reason") }
            reasons.insert(reason)
        }
        cooldown.reasons = reasons

        minimumStopLiquidationDistance = try section.rate("minimum_stop_liquidation_distance", default: Rate("0.005")!, range: Rate.zero...Rate("0.5")!)
        maximumDataAge = try section.duration("maximum_data_age", default: .seconds(65 * 60), range: .seconds(60)...Duration.seconds(7 * 86_400))
        historyCapacity = try section.int("history_capacity", default: 400, range: 10...100_000)
        let needed = max(trend.requiredBars, regime.requiredBars)
        if historyCapacity < needed { throw section.invalid("history_capacity", "must hold the \(needed) hourly bars the trend and regime checks need") }
    }

    /// `"0.5x"` = 0.5 × equity; `"5000"` = 5000 USDT.
    static func limit(_ section: ConfigSection, _ key: String, default value: String) throws(ConfigError) -> NotionalLimit {
        let text = try section.string(key, default: value).trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("x"), let multiple = Rate(String(text.dropLast())), multiple.isPositive { return .equityMultiple(multiple) }
        if let amount = Money(text), amount.isPositive { return .absolute(amount) }
        throw section.invalid(key, "\"\(text)\" is neither an equity multiple (\"0.5x\") nor a USDT amount (\"5000\")")
    }
}

extension SizingSettings {
    /// `[sizing]`: risk-based position size (defaults equal the in-code ones).
    public init(from section: ConfigSection) throws(ConfigError) {
        self.init()
        riskPerTrade = try section.rate("risk_per_trade", default: Rate("0.005")!, range: Rate("0.0001")!...Rate("0.1")!)
        marginBudgetShare = try section.rate("margin_budget_share", default: Rate("0.2")!, range: Rate("0.001")!...Rate("1")!)
        maximumLeverage = try section.int("maximum_leverage", default: 10, range: 1...125)
        planningRounds = try section.int("planning_rounds", default: 4, range: 1...20)
    }
}

extension RiskSettings {
    /// `[risk]`: the daily-loss state machine (defaults equal the in-code ones).
    public init(from section: ConfigSection) throws(ConfigError) {
        self.init()
        dailyLossLimit = try section.rate("daily_loss_limit", default: Rate("0.02")!, range: Rate("0.0001")!...Rate("1")!)
        let soft = try section.rate("reducing_threshold", default: Rate("0.01")!, range: Rate.zero...Rate("1")!)
        reducingThreshold = soft.isPositive ? soft : nil
        if let soft = reducingThreshold, soft >= dailyLossLimit {
            throw section.invalid("reducing_threshold", "must be below daily_loss_limit (\(dailyLossLimit)); 0 switches it off")
        }
        reducingSizeMultiplier = try section.rate("reducing_size_multiplier", default: Rate("0.5")!, range: Rate("0.01")!...Rate("1")!)
        flattenOnHalt = try section.bool("flatten_on_halt", default: false)
        resumeAtNewDay = try section.bool("resume_at_new_day", default: true)
    }
}
