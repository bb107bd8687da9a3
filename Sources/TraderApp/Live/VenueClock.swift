import TradingEngine
import TradingModel

/// The live runtime's clock on the venue's time base: the local clock plus the offset the REST
/// client measured at its last server-time sync (`GET /fapi/v1/time`). Every deadline of a live
/// session (close confirmation, backstop retry and acceptance, watchdog, market-data freshness)
/// is measured on it, the same base as the venue's event times.
public struct VenueClock: TradingClock {
    let local: any TradingClock
    let offsetMilliseconds: @Sendable () -> Int64

    public init(local: any TradingClock, offsetMilliseconds: @escaping @Sendable () -> Int64) {
        self.local = local
        self.offsetMilliseconds = offsetMilliseconds
    }

    public var now: Timestamp { Timestamp(milliseconds: local.now.milliseconds + offsetMilliseconds()) }
}
