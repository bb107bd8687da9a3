import TradingModel

/// The order in which a candle's prices are assumed to have traded (a candle does not say).
public enum IntrabarPath: String, Sendable, Hashable, CaseIterable {
    /// Against the open position: a long sees open → low → high → close, a short open → high →
    /// low → close, so a bar touching both stop and target stops out first. Flat: open → the
    /// extreme nearer the open → the other → close.
    case pessimistic
    /// Open → the extreme nearer the open → the other extreme → close (ties: low first).
    case nearestExtremeFirst = "nearest_extreme_first"
    /// Always open → high → low → close.
    case openHighLowClose = "ohlc"
    /// Always open → low → high → close.
    case openLowHighClose = "olhc"

    /// True when the path visits the low before the high, for a position of `side` (nil = flat).
    @inlinable
    public func lowFirst(_ candle: Candle, positionSide side: Side?) -> Bool {
        switch self {
        case .pessimistic:
            if let side { return side == .long }
            return IntrabarPath.nearestLowFirst(candle)
        case .nearestExtremeFirst: return IntrabarPath.nearestLowFirst(candle)
        case .openHighLowClose: return false
        case .openLowHighClose: return true
        }
    }

    @inlinable
    static func nearestLowFirst(_ candle: Candle) -> Bool {
        candle.open.raw - candle.low.raw <= candle.high.raw - candle.open.raw
    }
}
