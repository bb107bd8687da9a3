import TradingModel

extension ExitExecutor {
    /// The stop and the next target, for bar-path replay (exact crossing events). None once the
    /// position is closing or finished.
    public var watchedLevels: WatchedPriceLevels {
        guard state.phase == .active || state.phase == .awaitingStart else { return WatchedPriceLevels() }
        let next = state.nextSliceIndex < state.slices.count ? state.slices[state.nextSliceIndex].price : nil
        return WatchedPriceLevels(stop: state.stopPrice, target: next)
    }

    /// The live status (`status`), for the watchdog's heartbeat.
    public var exitStatus: ExitStatus? { status }
}
