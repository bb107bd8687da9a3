/// How hard a store works to survive a power loss (SQLite's `synchronous` setting with the WAL
/// journal; PostgreSQL's `synchronous_commit`). Either way every write is one transaction: a crash never leaves a
/// half-written record.
public enum StoreDurability: Sendable, Hashable {
    /// `synchronous = FULL`: every commit is on disk before the call returns. Paper and live
    /// trading, where an order or fill record must not be lost.
    case full
    /// `synchronous = NORMAL`: commits are atomic and the file stays consistent, but the last
    /// commits may be lost on power loss or an OS crash (not on a process crash). Backtests, which
    /// write thousands of rows and can be re-run, use this.
    case relaxed

    /// PostgreSQL's `synchronous_commit` for the session: `off` lets the server acknowledge a
    /// commit before its WAL is flushed (a server crash may lose the last commits, never half of
    /// one).
    var postgresSynchronousCommit: String {
        switch self {
        case .full: "on"
        case .relaxed: "off"
        }
    }

    var sqliteSynchronous: String {
        switch self {
        case .full: "FULL"
        case .relaxed: "NORMAL"
        }
    }
}
