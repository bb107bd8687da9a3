import TradingModel

/// Which closed trades the statistics cover. Every set that is empty matches everything; the
/// period is on exit time, `[from, to)`.
public struct TradeFilter: Sendable, Hashable {
    public var runIDs: Set<Int64> = []
    public var kinds: Set<RunKind> = []
    public var from: Timestamp?
    public var to: Timestamp?
    public var symbols: Set<Symbol> = []
    public var strategies: Set<String> = []
    public var side: Side?

    public init(runIDs: Set<Int64> = [], kinds: Set<RunKind> = [], from: Timestamp? = nil, to: Timestamp? = nil,
                symbols: Set<Symbol> = [], strategies: Set<String> = [], side: Side? = nil) {
        self.runIDs = runIDs
        self.kinds = kinds
        self.from = from
        self.to = to
        self.symbols = symbols
        self.strategies = strategies
        self.side = side
    }

    public func matches(_ trade: StatsTrade) -> Bool {
        let record = trade.record
        if !runIDs.isEmpty, !runIDs.contains(record.runID) { return false }
        if !kinds.isEmpty, !kinds.contains(trade.runKind) { return false }
        if let from, record.exitTime < from { return false }
        if let to, record.exitTime >= to { return false }
        if !symbols.isEmpty, !symbols.contains(record.symbol) { return false }
        if !strategies.isEmpty, !strategies.contains(trade.strategy) { return false }
        if let side, record.side != side { return false }
        return true
    }

    /// The filter in words (`run 3, mode paper, symbol ATOMUSDT`), or `all closed trades`.
    public var summary: String {
        var parts: [String] = []
        if !runIDs.isEmpty { parts.append("run " + runIDs.sorted().map(String.init).joined(separator: ",")) }
        if !kinds.isEmpty { parts.append("mode " + kinds.map(\.rawValue).sorted().joined(separator: ",")) }
        if let from { parts.append("exits from \(from)") }
        if let to { parts.append("exits before \(to)") }
        if !symbols.isEmpty { parts.append("symbol " + symbols.map(\.name).sorted().joined(separator: ",")) }
        if !strategies.isEmpty { parts.append("strategy " + strategies.sorted().joined(separator: ",")) }
        if let side { parts.append("side \(side.rawValue)") }
        return parts.isEmpty ? "all closed trades" : parts.joined(separator: ", ")
    }
}
