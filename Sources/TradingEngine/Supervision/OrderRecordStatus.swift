/// The states an order's store record takes (`OrderEventRecord.status` keeps the raw value), the
/// same words in every driver. A venue's own order status (`OrderStatus`: `NEW`,
/// `PARTIALLY_FILLED`, …) is recorded as it is when the venue answers with one.
public enum OrderRecordStatus: String, Sendable, Hashable, CaseIterable {
    /// Sent to the venue (its outcome not known yet).
    case submitted = "SUBMITTED"
    case cancelRequested = "CANCEL_REQUESTED"
    case accepted = "ACCEPTED"
    case rejected = "REJECTED"
    case canceled = "CANCELED"
    case triggered = "TRIGGERED"
    case filled = "FILLED"
    /// The venue's answer was lost: queried, never resent.
    case unknown = "UNKNOWN"
    /// The venue does not know the order, and a reconciliation confirmed it was never placed.
    case notFound = "NOT_FOUND"
}
