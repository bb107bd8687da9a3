import TradingModel

/// The three outcomes a model predicts. Raw values are the class indices used by the libraries
/// and the column order of every probability triple: `[P(none), P(long), P(short)]`.
public enum SignalClass: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case none = 0
    case long = 1
    case short = 2

    public init(_ side: Side) { self = side == .long ? .long : .short }

    /// The position side, or nil for `none`.
    public var side: Side? {
        switch self {
        case .none: nil
        case .long: .long
        case .short: .short
        }
    }

    public var description: String { ["NONE", "LONG", "SHORT"][rawValue] }
}
