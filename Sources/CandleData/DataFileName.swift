import TradingModel

/// What a data file's name says: `LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz` is LINKUSDT 1m
/// klines, `XRPUSDT-funding-2021-11-18_2021-12-18.csv.gz` is XRPUSDT funding rates.
///
/// Name = `SYMBOL-KIND-...` where KIND is an interval label or `funding`. Either part may be
/// missing (nil) for files named otherwise; the name never overrides what the content says.
public struct DataFileName: Sendable, Hashable {
    /// Symbol from the prefix before the first `-`, when it is a valid symbol.
    public var symbol: Symbol?
    /// Interval from the second `-` component, when it is an interval label.
    public var interval: CandleInterval?
    /// True when the second component is `funding`.
    public var isFunding: Bool

    /// Parses the last path component of `path`.
    public init(path: String) {
        var base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        for suffix in [".gz", ".csv"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        let components = base.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        symbol = components.count >= 2 ? Symbol(components[0]) : nil
        let second = components.count >= 2 ? components[1] : ""
        isFunding = second == "funding"
        interval = CandleInterval(label: second)
    }
}
