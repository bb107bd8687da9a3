import Foundation
import TradingEngine
import TradingModel

/// The wall clock, for live and paper-on-venue runs only (the engine never reads it; the app
/// injects it). UTC milliseconds since the Unix epoch.
public struct SystemClock: TradingClock {
    public init() {}
    public var now: Timestamp { Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
}
