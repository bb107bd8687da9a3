/// What an alert is about: a stable machine-readable name (`runtime.warm_up_complete`) in a
/// `family` (the part before the first dot). Typed inside the engine, the runtime and the alert
/// rules, which decide on kinds and families, never on their text; the raw value is what the
/// store keeps and people read.
///
/// An open set (a struct with named values, like an enum with raw values that parts may
/// extend): kinds built from a typed value (`watchdog(_:)` from an incident kind, a risk label)
/// are kinds too.
public struct AlertKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    ExpressibleByStringLiteral {
    /// The part before the first dot: who raised it.
    public enum Family: String, Sendable, Hashable, CaseIterable {
        case runtime, reconcile, exit, watchdog, kernel, venue, risk, ml, alerts
    }

    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    /// `family.name`.
    public init(_ family: Family, _ name: String) { rawValue = "\(family.rawValue).\(name)" }

    /// The family, when the kind names a known one.
    public var family: Family? {
        guard let dot = rawValue.firstIndex(of: ".") else { return nil }
        return Family(rawValue: String(rawValue[..<dot]))
    }

    public var description: String { rawValue }
    /// The raw value quoted, as a `String` kind printed (an alert's reflected text is unchanged).
    public var debugDescription: String { rawValue.debugDescription }

    // MARK: - Kinds the rules and drivers decide on

    public static let entryRejected: AlertKind = "kernel.entry_rejected"
    public static let exitOrderNotSent: AlertKind = "runtime.exit_order_not_sent"
    public static let closeFailed: AlertKind = "exit.close_failed"
    public static let leverageFailed: AlertKind = "runtime.leverage_failed"
    public static let backstopFailed: AlertKind = "exit.backstop_failed"
    public static let liquidated: AlertKind = "exit.liquidated"
    public static let entryBlocked: AlertKind = "runtime.entry_blocked"
    public static let warmUpComplete: AlertKind = "runtime.warm_up_complete"
    public static let manualClose: AlertKind = "runtime.manual_close"
    public static let closeRequestDone: AlertKind = "runtime.close_request_done"
    public static let closeRequestFailed: AlertKind = "runtime.close_request_failed"
    public static let manualHalt: AlertKind = "runtime.manual_halt"
    public static let manualResume: AlertKind = "runtime.manual_resume"
    public static let marketDataSilent: AlertKind = "runtime.market_data_silent"
    public static let marketDataStale: AlertKind = "runtime.market_data_stale"
    public static let marketDataFresh: AlertKind = "runtime.market_data_fresh"
    public static let marketStreamResync: AlertKind = "runtime.market_stream_resync"
    public static let marketStreamInSync: AlertKind = "runtime.market_stream_in_sync"
    public static let venueStreamResync: AlertKind = "runtime.venue_stream_resync"
    public static let venueStreamInSync: AlertKind = "runtime.venue_stream_in_sync"
    public static let halted: AlertKind = "runtime.halted"
    public static let storeFailed: AlertKind = "runtime.store_failed"
    public static let modelError: AlertKind = "ml.model_error"
    public static let missingFeatures: AlertKind = "ml.missing_features"
    public static let featuresRestarted: AlertKind = "ml.features_restarted"
    public static let coverageDrift: AlertKind = "ml.coverage_drift"

    /// The watchdog's alert for one kind of incident (`watchdog.beyond_stop`, …).
    public static func watchdog(_ incident: Incident.Kind) -> AlertKind { AlertKind(.watchdog, incident.rawValue) }
}
