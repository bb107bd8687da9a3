/// Why a sweep could not run or finish. Each case names the file, unit, URL or setting.
public struct SweepError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The manifest is wrong (unknown key, empty grid, missing data file).
        case manifest = "manifest"
        /// A unit could not be started (the `qt` binary, the working folder).
        case launch = "launch"
        /// The Ray cluster refused or is incompatible (version, HTTP status, answer format).
        case ray = "ray"
        /// The job ended without a result for every unit, failed or was stopped.
        case incomplete = "incomplete"
        /// Interrupted by the user (Ctrl-C); a Ray job was asked to stop.
        case interrupted = "interrupted"
        /// Reading or writing a local file failed.
        case io = "file"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
