/// The risk state: the manual state (`qt risk halt|resume`, the console's halt and resume), the
/// session's risk engine and why entries are held.
public struct RiskView: Sendable, Hashable, Codable {
    /// One risk-state change.
    public struct Event: Sendable, Hashable, Codable {
        public var time: String
        /// Nil: the account's manual state.
        public var runID: Int64?
        public var state: String
        public var cause: String
        public var detail: String
        public init(time: String, runID: Int64?, state: String, cause: String, detail: String) {
            self.time = time
            self.runID = runID
            self.state = state
            self.cause = cause
            self.detail = detail
        }
    }

    /// `ACTIVE` or `HALTED`: the store's manual state.
    public var manualState: String
    /// Who halted and why, while halted by hand.
    public var manualDetail: String?
    /// The running session's risk engine (`ACTIVE`, `REDUCING`, `HALTED`); nil without a session or validator.
    public var engineState: String?
    /// Why the session takes no new entries (store failure, configuration, stream resync); nil when it does.
    public var entriesHeldReason: String?
    /// Latest events, newest last.
    public var events: [Event]

    public init(manualState: String, manualDetail: String?, engineState: String?, entriesHeldReason: String?, events: [Event]) {
        self.manualState = manualState
        self.manualDetail = manualDetail
        self.engineState = engineState
        self.entriesHeldReason = entriesHeldReason
        self.events = events
    }
}
