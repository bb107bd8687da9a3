import TradingModel

/// A size reduction applied to an approved entry, with the measured values behind it.
public enum SizeAdjustment: Sendable, Hashable, CustomStringConvertible {
    /// The regime calls for a smaller size (ranging by default).
    case regime(MarketRegime, multiplier: Rate)
    /// A same-direction open position is highly correlated.
    case correlatedExposure(with: Symbol, correlation: Double, limit: Double, multiplier: Rate)
    /// The risk engine is REDUCING.
    case riskReducing(multiplier: Rate)

    public var multiplier: Rate {
        switch self {
        case .regime(_, let multiplier), .correlatedExposure(_, _, _, let multiplier), .riskReducing(let multiplier): multiplier
        }
    }

    public var description: String {
        switch self {
        case .regime(let regime, let multiplier):
            "sizeReduced(regime: \(regime), multiplier: \(multiplier))"
        case .correlatedExposure(let symbol, let correlation, let limit, let multiplier):
            "sizeReduced(correlatedExposure(with: \(symbol), correlation: \(DecimalText.fixed(correlation, places: 3)), limit: \(DecimalText.fixed(limit, places: 2))), multiplier: \(multiplier))"
        case .riskReducing(let multiplier):
            "sizeReduced(riskState: REDUCING, multiplier: \(multiplier))"
        }
    }
}
