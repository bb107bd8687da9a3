import TradingModel

/// The kernel's per-symbol state: strategy, exit owner, pending entry and signal.
public struct KernelSymbolState<Strategy: TradingStrategy, Exit: PositionExitOwner> {
    public var strategy: Strategy
    /// The owner of the open position's exits (nil when flat).
    public var owner: Exit?
    /// A signal waiting for the symbol's next price event.
    public var pendingSignal: Signal?
    /// The entry order in flight.
    public var pendingEntry: PendingEntry?
    /// The entry that was in flight when a venue position was adopted (see `TradingKernel.adopt`).
    public var absorbedEntry: AbsorbedEntry?
    /// Why the kernel asked the owner to close (reversal, end of data), overriding `.manual`.
    public var closeRequest: ExitReason?
    public var finishedReason: ExitReason?
    public var lastSliceReason: ExitReason?
    /// Plan levels used when the owner publishes none.
    public var planLevels = WatchedPriceLevels()
    public var leverage: Int = 0
    public var lastPrice: Price = .zero
    /// +1 long, −1 short while an owned position is open, 0 otherwise (for `bestPrice`).
    public var positionSign: Int64 = 0
    /// When the current owner was created (the entry fill).
    public var ownerSince = Timestamp(milliseconds: 0)
    /// The most favourable price seen while the position is open (for harvest effectiveness).
    public var bestPrice: Price = .zero
    /// Take-profit levels filled for the open position, bit `n` for TPn.
    public var targetsHitMask: UInt8 = 0

    public init(strategy: Strategy) { self.strategy = strategy }

    /// Keeps the most favourable price of the open position. Hot path: one compare.
    @inlinable
    public mutating func noteFavourable(_ price: Price) {
        if positionSign > 0 ? price > bestPrice : (positionSign < 0 && price < bestPrice) { bestPrice = price }
    }
}

/// An approved entry whose market order is in flight.
public struct PendingEntry: Sendable, Hashable {
    public var orderID: ClientOrderID
    public var approved: ApprovedEntry
    public var filled: Quantity

    public init(orderID: ClientOrderID, approved: ApprovedEntry, filled: Quantity) {
        self.orderID = orderID
        self.approved = approved
        self.filled = filled
    }
}

/// An entry whose order was in flight when the venue's position of its symbol was adopted. The
/// venue's position is the truth: it holds the entry's executions up to `time` (the adoption),
/// so a late report of one of them is not booked again; an execution after `time` is new.
public struct AbsorbedEntry: Sendable, Hashable {
    public var orderID: ClientOrderID
    public var time: Timestamp

    public init(orderID: ClientOrderID, time: Timestamp) {
        self.orderID = orderID
        self.time = time
    }
}
