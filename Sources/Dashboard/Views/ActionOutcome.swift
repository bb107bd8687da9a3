/// What an action (close, close all, halt, resume) achieved, as the person who asked sees it.
public struct ActionOutcome: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        /// Carried out (the position is flat, the halt is recorded).
        case done
        /// Not carried out; `detail` says why.
        case failed
        /// Recorded and not answered yet (the session acts at its next tick); poll the request.
        case pending
    }

    /// `close`, `close_all`, `halt`, `resume`.
    public var action: String
    public var state: State
    public var detail: String
    /// The close request's id (close and close all).
    public var requestID: Int64?

    public init(action: String, state: State, detail: String, requestID: Int64? = nil) {
        self.action = action
        self.state = state
        self.detail = detail
        self.requestID = requestID
    }
}
