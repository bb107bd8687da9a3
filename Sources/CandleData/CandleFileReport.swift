import TradingModel

/// What reading a kline file found: size, span, gaps and price/volume ranges.
/// Complete (`reachedEnd`) only after the reader returned nil without throwing.
public struct CandleFileReport: Sendable, Hashable {
    public var path: String
    public var symbol: Symbol?
    /// Bar length used for gap detection; nil when `intervalSource == .unknown`.
    public var interval: CandleInterval?
    public var intervalSource: CandleIntervalSource
    /// Data rows read so far (the header is not a row).
    public var rowCount = 0
    public var firstOpenTime: Timestamp?
    public var lastOpenTime: Timestamp?
    /// Every gap, in file order.
    public var gaps: [CandleGap] = []
    /// Lowest `low` and highest `high` over all rows.
    public var lowestLow: Price?
    public var highestHigh: Price?
    /// Sum of base volume in 10⁻⁸ units. `Int128` because a long 1m file can exceed `Quantity`'s
    /// `Int64` range (≈ 9.2 × 10¹⁰ units).
    public var totalVolumeRaw: Int128 = 0
    /// True once the whole file was read and validated.
    public var reachedEnd = false

    public init(path: String, symbol: Symbol?, interval: CandleInterval?, intervalSource: CandleIntervalSource) {
        self.path = path
        self.symbol = symbol
        self.interval = interval
        self.intervalSource = intervalSource
    }

    /// Total bars missing over all gaps.
    public var missingBarCount: Int64 { gaps.reduce(0) { $0 + $1.missingBarCount } }

    /// `totalVolumeRaw` as a plain decimal (display only).
    public var totalVolumeText: String {
        let scale = Int128(FixedPoint.scale)
        let whole = totalVolumeRaw / scale
        var fraction = String(Int64(totalVolumeRaw % scale))
        fraction = String(repeating: "0", count: FixedPoint.decimals - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }
}
