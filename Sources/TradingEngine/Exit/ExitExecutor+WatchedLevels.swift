import TradingModel

extension ExitExecutor {
    /// The stop and the next target, for bar-path replay (exact crossing events). Empty once the
    /// executor is closing or done.
    public var watchedLevels: WatchedPriceLevels {
        guard state.phase == .active || state.phase == .awaitingStart else { return WatchedPriceLevels() }
        let next = state.nextSliceIndex < state.slices.count ? state.slices[state.nextSliceIndex].price : nil
        return WatchedPriceLevels(stop: state.stopPrice, target: next)
    }
}
