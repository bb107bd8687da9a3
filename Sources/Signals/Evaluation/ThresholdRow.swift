/// Out-of-sample trading figures at one confidence threshold (one configuration of the table).
public struct ThresholdRow: Sendable, Hashable, Codable {
    public var threshold: Double
    public var summary: TradeSummary
    /// Holm-adjusted p-value across every threshold of the table (`HolmAdjustment`).
    public var holmPValue: Double?

    public var trades: Int { summary.trades }
    public var expectancy: Double? { summary.expectancy }
    public var expectancyLowerBound: Double? { summary.expectancyLowerBound }
}

/// When the chosen configuration counts as an edge (the verdict): at least `minimumTrades`
/// out-of-sample trades one position at a time could take, the 95% day-block bootstrap lower
/// bound of their expectancy above zero, an expectancy above every baseline's, and a deflated
/// Sharpe ratio of at least `minimumDeflatedSharpe` for the number of configurations tried.
public struct EdgeCriterion: Sendable, Hashable, Codable {
    public var minimumTrades: Int
    public var minimumDeflatedSharpe: Double

    public init(minimumTrades: Int = 30, minimumDeflatedSharpe: Double = 0.95) {
        self.minimumTrades = minimumTrades
        self.minimumDeflatedSharpe = minimumDeflatedSharpe
    }
}
