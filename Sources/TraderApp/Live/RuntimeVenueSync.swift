import TradingEngine
import TradingModel

/// What the live runtime keeps to stay in step with the venue between reconciliations: which
/// executions it booked (by venue trade id), the venue's last position reports (divergence is
/// reconciled, never booked), stops waiting for a replacement backstop before they may go,
/// orders whose outcome is unknown, symbols that belong to someone else and symbols still in
/// cross margin. A plain value owned by the runtime actor.
struct RuntimeVenueSync: Sendable {
    /// Venue trade ids of every fill booked this run: a fill reported twice (a duplicated
    /// message, or on the stream after reconciliation booked it from the trade history) is booked once.
    var bookedTradeIDs: Set<Int64> = []
    /// The venue's last reported signed position per traded symbol (`ACCOUNT_UPDATE`).
    var venueReports: [Symbol: Quantity] = [:]
    /// Since when the booked position of a symbol differs from the venue's last report.
    var divergentSince: [Symbol: Timestamp] = [:]
    /// Old stops of adopted positions, cancelled once the new owner's backstop rests.
    var deferredCancels: [OrderSnapshot] = []
    /// Foreign symbols (outside `--symbols`) last reported, with what was seen (alerted on change).
    var foreign: [Symbol: String] = [:]
    /// Foreign symbols whose stream reports were already alerted since the last reconciliation.
    var foreignReportsAlerted: Set<Symbol> = []
    /// Traded symbols whose existing position is in cross margin: protected as it is, no new
    /// entries until flat and switched to isolated.
    var crossMargin: Set<Symbol> = []
    /// The liquidation price of an adopted cross-margin position from the account's margin at
    /// its adoption, recomputed after account changes (zero: none), shown instead of the
    /// isolated ledger's.
    var crossLiquidation: [Symbol: Price] = [:]
    /// The account changed (a fill, funding, a position report) since `crossLiquidation` was
    /// computed: recomputed from the venue at the next timer tick.
    var crossLiquidationStale = false
    /// When an order of unknown outcome was first reported missing by the venue.
    var notFoundSince: [ClientOrderID: Timestamp] = [:]
    /// When the last reconciliation completed.
    var lastReconciledAt: Timestamp?
    /// A reconciliation is wanted (a position without owner, a divergence, a lost order, a notice).
    var reconcileRequested: String?
    /// A user-data message was dropped and no reconciliation whose reads began after it has
    /// succeeded yet (entries held).
    var userDataGap = false
    /// How many user-data gaps were detected this run: each reconciliation read carries the
    /// count at the time it was asked for, so reads that began before a gap never lift its hold.
    var userDataGaps: UInt64 = 0
    /// A reconciliation's reads are running on a lane.
    var reconcileInFlight = false
    /// When a requested reconciliation last failed (retried 5 s later at the earliest).
    var reconcileFailedAt: Timestamp?
    /// Client ids of every cancel sent this run.
    var cancelsSent: Set<ClientOrderID> = []
    /// Sequence of ids the runtime names itself (fills booked without a known client id).
    var syntheticIDs: Int64 = 0
}
