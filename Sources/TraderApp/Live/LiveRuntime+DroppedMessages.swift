import TradingEngine
import TradingModel

extension LiveRuntime {
    /// A venue message was dropped at the adapter (unparseable or absurd values): alerted, never
    /// silent. A dropped user-data message is a gap in the account's events (critical): new
    /// entries are held and a reconciliation is requested; entries resume once one has succeeded
    /// after the gap. A dropped market message is superseded by the next one (warning).
    func venueMessageDropped(_ dropped: DroppedVenueMessage) {
        let userData = dropped.stream == .userData
        raise(Alert(severity: userData ? .critical : .warning, kind: "venue.message_dropped",
                    message: "\(dropped.stream.rawValue) message dropped: \(dropped.reason)"
                        + (userData ? " (its events are lost: a gap in the venue's order stream; entries held, reconciling)" : ""),
                    symbol: nil, time: now))
        guard userData else { return }
        sync.userDataGap = true
        requestReconcile("a user-data message was dropped")
    }
}
