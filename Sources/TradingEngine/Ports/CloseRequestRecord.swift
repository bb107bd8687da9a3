import TradingModel

/// A manual close request written by another process (`qt close SYMBOL|--all`) and carried out by
/// the running live runtime: it picks pending requests up on its timer tick, closes through each
/// position's exit owner (reduce-only) and resolves the request with what happened.
public struct CloseRequestRecord: Sendable, Hashable {
    /// What became of a request.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Written, not resolved yet.
        case pending
        /// Carried out: every named position is flat (the detail says how).
        case done
        /// Not carried out, or not completely; the detail says why.
        case failed
    }

    public var id: Int64?
    /// Nil: every open position.
    public var symbol: Symbol?
    public var requestedAt: Timestamp
    public var state: State
    /// The outcome (or why it failed), for the person who asked; empty while pending.
    public var detail: String
    public var resolvedAt: Timestamp?
    /// The run that resolved it.
    public var resolvedByRunID: Int64?

    public init(id: Int64? = nil, symbol: Symbol?, requestedAt: Timestamp, state: State = .pending, detail: String = "",
                resolvedAt: Timestamp? = nil, resolvedByRunID: Int64? = nil) {
        self.id = id
        self.symbol = symbol
        self.requestedAt = requestedAt
        self.state = state
        self.detail = detail
        self.resolvedAt = resolvedAt
        self.resolvedByRunID = resolvedByRunID
    }
}
