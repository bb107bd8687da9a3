import Foundation
import TradingConfig
import TradingEngine
import TradingModel

extension ExitSettings {
    /// `[exit]`: every field of `ExitSettings`, defaults equal to the in-code ones (and to
    /// config/default.toml). Moves are price moves from entry (`0.012` = 1.2%).
    public init(from section: ConfigSection) throws(ConfigError) {
        self.init()
        let defaults = ExitSettings()
        baseTargetMove = try section.rate("base_target_move", default: defaults.baseTargetMove, range: Rate("0.0001")!...Rate("1")!)
        let policy = try section.choice("stop_policy", allowed: ["fixed-price-move", "margin-risk"], default: "fixed-price-move")
        let stopMove = try section.rate("stop_move", default: Rate("0.012")!, range: Rate("0.0001")!...Rate("0.5")!)
        let maxRoeLoss = try section.rate("max_roe_loss", default: Rate("0.3")!, range: Rate("0.01")!...Rate("1")!)
        stopPolicy = policy == "margin-risk" ? .marginRisk(maxRoeLoss: maxRoeLoss) : .fixedPriceMove(stopMove)
        harvestLadders = try Self.ladders(section, default: defaults.harvestLadders)
        backstopBuffer = try section.rate("backstop_buffer", default: defaults.backstopBuffer, range: Rate.zero...Rate("0.1")!)
        liquidationBuffer = try section.rate("liquidation_buffer", default: defaults.liquidationBuffer, range: Rate.zero...Rate("0.1")!)
        let widening = try section.bool("volatility_widening", default: false)
        let start = try section.double("volatility_start_percentile", default: 0.70, range: 0...1)
        let extra = try section.double("volatility_max_extra", default: 0.50, range: 0...5)
        volatilityWidening = widening ? VolatilityWidening(startPercentile: start, maxExtra: extra) : nil
        // The third target is at most base × 2.05 (leverage scaling factor 1), widened by up to
        // 1 + volatility_max_extra: beyond 100% a short's target is at or below zero.
        let widest = baseTargetMove.doubleValue * 2.05 * (widening ? 1 + extra : 1)
        if widest >= 1 {
            throw section.invalid("base_target_move", "(\(baseTargetMove)) puts the third target up to \(String(format: "%.1f", widest * 100))% from entry"
                                  + (widening ? " (with volatility_max_extra \(extra))" : "")
                                  + "; a short's target would be at or below zero (at most \(Self.largestBase(widening ? extra : 0)))")
        }
        stopAfterFirstTarget = try Self.adjustment(section, "stop_after_first_target", default: "break-even-plus-fees")
        stopAfterSecondTarget = try Self.adjustment(section, "stop_after_second_target", default: "target-1")
        breakEvenFeeAllowance = try section.rate("break_even_fee_allowance", default: defaults.breakEvenFeeAllowance, range: Rate.zero...Rate("0.05")!)
        let trail = try section.rate("trailing_stop_distance", default: .zero, range: Rate.zero...Rate("0.5")!)
        trailingStopDistance = trail.isPositive ? trail : nil
        // The one price setting: the executor's prices, the backstop's workingType and the live
        // price stream all follow it (they once were three keys that could disagree).
        if section.contains("backstop_trigger_source") {
            throw section.invalid("backstop_trigger_source", Self.onePriceSetting)
        }
        let priceSource = try section.choice("price_source", allowed: ["mark", "last"], default: "mark")
        self.priceSource = priceSource == "mark" ? .markPrice : .lastPrice
        closeRetry = RetryPolicy(maxAttempts: try section.int("close_retry_attempts", default: 3, range: 1...100),
                                 interval: try section.duration("close_retry_interval", default: .seconds(1), range: .milliseconds(10)...Duration.seconds(3600)))
        backstopRetry = RetryPolicy(maxAttempts: try section.int("backstop_retry_attempts", default: 3, range: 1...100),
                                    interval: try section.duration("backstop_retry_interval", default: .seconds(1), range: .milliseconds(10)...Duration.seconds(3600)))
        closeConfirmDeadline = try section.duration("close_confirm_deadline", default: .seconds(5), range: .milliseconds(10)...Duration.seconds(3600))
        backstopAcceptDeadline = try section.duration("backstop_accept_deadline", default: .seconds(3), range: .milliseconds(10)...Duration.seconds(3600))
        do {
            try validate()
        } catch {
            throw section.invalid(Self.key(for: error.field), error.message)
        }
    }

    /// What a configuration naming a removed price key is told.
    static let onePriceSetting = "is no longer a setting: use [exit] price_source = \"mark\" or \"last\", the one price the exit engine "
        + "works on (its stops and targets, the exchange backstop's trigger and the live price stream)"

    /// `harvest_ladders = ["10: 0.3/0.3/0.4", ...]`: up to that leverage, TP1/TP2/TP3 fractions.
    static func ladders(_ section: ConfigSection, default defaults: [HarvestLadder]) throws(ConfigError) -> [HarvestLadder] {
        guard section.contains("harvest_ladders") else {
            _ = try section.stringArray("harvest_ladders", default: [])
            return defaults
        }
        var ladders: [HarvestLadder] = []
        for entry in try section.stringArray("harvest_ladders", default: []) {
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let fractions = parts.count == 2 ? parts[1].split(separator: "/").map { Rate(String($0).trimmingCharacters(in: .whitespaces)) } : []
            let rates = fractions.compactMap { $0 }
            guard parts.count == 2, let leverage = Double(parts[0]), leverage >= 1, rates.count == 3 else {
                throw section.invalid("harvest_ladders", "entry \"\(entry)\" is not \"<max leverage>: <tp1>/<tp2>/<tp3>\" (e.g. \"10: 0.3/0.3/0.4\")")
            }
            if let last = ladders.last, leverage <= last.maxLeverage {
                throw section.invalid("harvest_ladders", "ladders must be in ascending max leverage (\(leverage) after \(last.maxLeverage))")
            }
            ladders.append(HarvestLadder(maxLeverage: leverage, fractions: rates))
        }
        return ladders
    }

    static func adjustment(_ section: ConfigSection, _ key: String, default value: String) throws(ConfigError) -> StopAdjustment {
        switch try section.choice(key, allowed: ["keep", "break-even-plus-fees", "target-1", "target-2"], default: value) {
        case "keep": .keep
        case "break-even-plus-fees": .breakEvenPlusFees
        case "target-1": .targetPrice(level: 1)
        default: .targetPrice(level: 2)
        }
    }

    /// The config key of an `ExitSettingsError` field.
    static func key(for field: String) -> String {
        switch field {
        case let name where name.hasPrefix("harvestLadders"): "harvest_ladders"
        case let name where name.hasPrefix("stopPolicy"): "stop_policy"
        case "stopAfterFirstTarget": "stop_after_first_target"
        case "stopAfterSecondTarget": "stop_after_second_target"
        case "trailingStopDistance": "trailing_stop_distance"
        default: "base_target_move"
        }
    }

    /// The largest `base_target_move` that keeps every target below 100% (display only).
    static func largestBase(_ extra: Double) -> String {
        let value = (1 / (2.05 * (1 + extra)) * 10_000).rounded(.down) / 10_000
        return String(value)
    }
}

extension Watchdog.Settings {
    /// `[watchdog]`: the independent guard's limits (defaults equal the in-code ones).
    public init(from section: ConfigSection) throws(ConfigError) {
        self.init()
        let span = Duration.milliseconds(1)...Duration.seconds(86_400)
        beyondStopTolerance = try section.rate("beyond_stop_tolerance", default: Rate("0.002")!, range: Rate.zero...Rate("0.1")!)
        beyondStopGrace = try section.duration("beyond_stop_grace", default: .seconds(2), range: span)
        missingBackstopAfter = try section.duration("missing_backstop_after", default: .seconds(5), range: span)
        executorSilenceAfter = try section.duration("executor_silence_after", default: .seconds(10), range: span)
        forceCloseRetryInterval = try section.duration("force_close_retry_interval", default: .seconds(5), range: span)
    }

}
