/// Triple-barrier labelling settings, taken from the exit engine's levels.
///
/// Defaults: stop 1.20% (the exit engine's reference stop) and take-profit 0.83% (its first
/// target, where the first slice is harvested), horizon 240 one-minute bars (4 h), round-trip
/// fees 0.10% (0.05% taker on entry and exit). The take-profit must exceed the round-trip fees,
/// otherwise a "win" would lose money.
public struct TripleBarrierSettings: Sendable, Hashable, Codable {
    /// Favourable price move that counts as a win (`0.0083` = 0.83%).
    public var takeProfitPriceMove: Double
    /// Adverse price move that stops the trade (`0.012` = 1.20%).
    public var stopPriceMove: Double
    /// Bars (one minute each) the trade may stay open before it is closed at the bar close.
    public var horizonBars: Int
    /// Entry plus exit fees as a fraction of notional (`0.001` = 0.10%).
    public var roundTripFeeRate: Double

    public init(takeProfitPriceMove: Double = 0.0083, stopPriceMove: Double = 0.012, horizonBars: Int = 240,
                roundTripFeeRate: Double = 0.001) {
        self.takeProfitPriceMove = takeProfitPriceMove
        self.stopPriceMove = stopPriceMove
        self.horizonBars = horizonBars
        self.roundTripFeeRate = roundTripFeeRate
    }

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
        guard takeProfitPriceMove > roundTripFeeRate else {
            throw .invalidSetting(key: "take_profit_price_move",
                                  message: "\(takeProfitPriceMove) does not exceed the round-trip fees \(roundTripFeeRate): a win would lose money")
        }
    }
}
