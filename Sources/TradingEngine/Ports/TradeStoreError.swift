import TradingModel

/// Why a `TradeStore` call failed. A failed call wrote nothing, except `commitOutcomeUnknown`.
public enum TradeStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The run id does not exist (never begun, or from another database).
    case unknownRun(Int64)
    /// A stored value cannot be read back as its type (an unknown enum value, a bad symbol).
    case corruptRecord(table: String, column: String, value: String)
    /// The underlying database failed (I/O, constraint, full disk); `detail` is its message.
    case database(String)
    /// A close request was resolved that does not exist or is no longer pending.
    case closeRequestNotPending(Int64)
    /// A row to update does not exist (`table`, `id`).
    case notFound(table: String, id: Int64)
    /// The connection to a database server was lost (or it stopped answering) after the commit
    /// was sent: the call's writes are either all recorded or none. Read back before repeating.
    case commitOutcomeUnknown(String)

    public var description: String { DisplayText.controlsEscaped(text) }

    private var text: String {
        switch self {
        case .unknownRun(let id): "unknown run \(id)"
        case .corruptRecord(let table, let column, let value): "corrupt record: \(table).\(column) = '\(value)'"
        case .database(let detail): "database error: \(detail)"
        case .closeRequestNotPending(let id): "close request \(id) does not exist or is not pending"
        case .notFound(let table, let id): "no row \(id) in \(table)"
        case .commitOutcomeUnknown(let detail): "database connection lost while committing (all or nothing was recorded): \(detail)"
        }
    }
}
