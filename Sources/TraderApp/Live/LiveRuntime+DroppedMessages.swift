import TradingEngine
import TradingModel

extension LiveRuntime {
    /// A venue message was dropped at the adapter (unparseable or absurd values): alerted, never
    /// silent. A dropped user-data message is a gap in the account's events (critical): new
    /// entries are held and a reconciliation is requested; entries resume once one whose reads
    /// all began after the gap has succeeded (a reconciliation already reading when the message
    /// was lost does not count). A dropped market message is superseded by the next one (warning).
    func venueMessageDropped(_ dropped: DroppedVenueMessage) {
        let userData = dropped.stream == .userData
        raise(Alert(severity: userData ? .critical : .warning, kind: "venue.message_dropped",
                    message: "\(dropped.stream.rawValue) message dropped: \(dropped.reason)"
                        + (userData ? " (its events are lost: a gap in the venue's order stream; entries held, reconciling)" : ""),
                    symbol: nil, time: now))
        guard userData else { return }
        sync.userDataGap = true
        sync.userDataGaps += 1
        requestReconcile("a user-data message was dropped")
    }

    /// After a successful reconciliation whose reads were asked for when `sequence` gaps had been
    /// seen: lifts the user-data gap's hold when no gap came later (true), else keeps it and asks
    /// for another reconciliation (false).
    func liftUserDataGap(readAfter sequence: UInt64) -> Bool {
        guard sync.userDataGap else { return true }
        guard sequence >= sync.userDataGaps else {
            requestReconcile("a user-data message was lost while the last reconciliation was reading")
            return false
        }
        sync.userDataGap = false
        return true
    }
}
