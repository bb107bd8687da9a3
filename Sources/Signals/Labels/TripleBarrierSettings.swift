/// Triple-barrier labelling settings, taken from the exit engine's levels, and the trading costs
/// every label outcome pays.
///
/// Defaults: stop 1.20% (the exit engine's reference stop) and take-profit 0.83% (its first
/// target, where the first slice is harvested), horizon 240 one-minute bars (4 h), round-trip
/// fees 0.10% (0.05% taker on entry and exit), slippage 2 bps per fill (entry and exit are
/// both market orders), funding 0.01% per 8 h settlement when the data has no funding rates.
/// The take-profit must exceed the round-trip fees, otherwise a "win" would lose money.
public struct TripleBarrierSettings: Sendable, Hashable, Codable {
    /// Favourable price move that counts as a win (`0.0083` = 0.83%).
    public var takeProfitPriceMove: Double
    /// Adverse price move that stops the trade (`0.012` = 1.20%).
    public var stopPriceMove: Double
    /// Bars (one minute each) the trade may stay open before it is closed at the bar close.
    public var horizonBars: Int
    /// Entry plus exit fees as a fraction of notional (`0.001` = 0.10%).
    public var roundTripFeeRate: Double
    /// Adverse slippage per fill in basis points of price (charged on entry and on exit).
    public var slippageBasisPoints: Double
    /// Funding rate per 8-hour settlement assumed when the data has no funding file for the
    /// symbol; charged to long and short alike (its sign is unknown, so it is a cost to both).
    public var assumedFundingRate: Double

    public init(takeProfitPriceMove: Double = 0.0083, stopPriceMove: Double = 0.012, horizonBars: Int = 240,
                roundTripFeeRate: Double = 0.001, slippageBasisPoints: Double = 2, assumedFundingRate: Double = 0.0001) {
        self.takeProfitPriceMove = takeProfitPriceMove
        self.stopPriceMove = stopPriceMove
        self.horizonBars = horizonBars
        self.roundTripFeeRate = roundTripFeeRate
        self.slippageBasisPoints = slippageBasisPoints
        self.assumedFundingRate = assumedFundingRate
    }

    /// Files written before the cost fields existed read as costless (what they were trained with).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        takeProfitPriceMove = try container.decode(Double.self, forKey: .takeProfitPriceMove)
        stopPriceMove = try container.decode(Double.self, forKey: .stopPriceMove)
        horizonBars = try container.decode(Int.self, forKey: .horizonBars)
        roundTripFeeRate = try container.decode(Double.self, forKey: .roundTripFeeRate)
        slippageBasisPoints = try container.decodeIfPresent(Double.self, forKey: .slippageBasisPoints) ?? 0
        assumedFundingRate = try container.decodeIfPresent(Double.self, forKey: .assumedFundingRate) ?? 0
    }

    /// Slippage per fill as a price fraction.
    public var slippagePerFill: Double { slippageBasisPoints / 10_000 }

    /// Checks the settings; the message names the offending field.
    public func validate() throws(SignalsError) {
        guard takeProfitPriceMove > 0, takeProfitPriceMove < 1 else {
            throw .invalidSetting(key: "take_profit_price_move", message: "must be in (0, 1), got \(takeProfitPriceMove)")
        }
        guard stopPriceMove > 0, stopPriceMove < 1 else {
            throw .invalidSetting(key: "stop_price_move", message: "must be in (0, 1), got \(stopPriceMove)")
        }
        guard horizonBars >= 1 else { throw .invalidSetting(key: "horizon_bars", message: "must be at least 1, got \(horizonBars)") }
        guard roundTripFeeRate >= 0 else {
            throw .invalidSetting(key: "round_trip_fee_rate", message: "must not be negative, got \(roundTripFeeRate)")
        }
        guard slippageBasisPoints >= 0, slippageBasisPoints <= 500 else {
            throw .invalidSetting(key: "slippage_bps", message: "must be in 0...500, got \(slippageBasisPoints)")
        }
        guard assumedFundingRate.isFinite, abs(assumedFundingRate) <= 0.01 else {
            throw .invalidSetting(key: "funding_rate", message: "must be within ±0.01 per settlement, got \(assumedFundingRate)")
        }
        guard takeProfitPriceMove > roundTripFeeRate else {
            throw .invalidSetting(key: "take_profit_price_move",
                                  message: "\(takeProfitPriceMove) does not exceed the round-trip fees \(roundTripFeeRate): a win would lose money")
        }
    }
}
