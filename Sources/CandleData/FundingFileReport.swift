import TradingModel

/// What reading a funding-rate file found.
public struct FundingFileReport: Sendable, Hashable {
    public var path: String
    public var symbol: Symbol?
    public var rowCount = 0
    public var firstFundingTime: Timestamp?
    public var lastFundingTime: Timestamp?
    /// Smallest and largest rate seen.
    public var lowestRate: Rate?
    public var highestRate: Rate?
    /// True once the whole file was read and validated.
    public var reachedEnd = false

    public init(path: String, symbol: Symbol?) {
        self.path = path
        self.symbol = symbol
    }
}
