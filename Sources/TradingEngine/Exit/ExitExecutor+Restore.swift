import TradingModel

/// Building the executor of a position from its `ExitOwnerContext`, restoring a saved state
/// when a restarted process adopts a position its predecessor protected.
extension ExitExecutor {
    /// How an executor was made from a context.
    public enum Origin: String, Sendable, Hashable {
        /// A new position: planned from the entry.
        case planned
        /// The saved state matched the venue (symbol, side, size): stop, moved stops, harvested
        /// targets and trailing state continue where they were.
        case restored
        /// A saved state of the same symbol and side but another size: re-planned for the venue's
        /// size, keeping the tighter of the saved and the re-planned stop.
        case replannedKeepingTighterStop
    }

    /// The executor for `context`: restored from `context.restoredState` when that state matches
    /// the position (symbol, side and open quantity), re-planned keeping the tighter stop when only
    /// symbol and side match, planned from `context.entry.plan` otherwise.
    ///
    /// A restored executor gets the new position key and the new process's client ids (the dead
    /// process may have sent ids past its last save), forgets the dead process's in-flight orders
    /// (closes, backstop replacements: the venue's size says what happened to them) and starts
    /// again: its first action is a new backstop at its saved trigger, the old one is cancelled
    /// by reconciliation once the new one rests.
    public static func make(_ context: ExitOwnerContext, settings: ExitSettings) -> ExitExecutor {
        build(context, settings: settings).executor
    }

    /// `make(_:settings:)` and how the executor was made.
    public static func build(_ context: ExitOwnerContext, settings: ExitSettings) -> (executor: ExitExecutor, origin: Origin) {
        var planned = ExitExecutor(plan: context.entry.plan, position: context.position, instrument: context.instrument, settings: settings,
                                   positionKey: context.positionKey, orderIDs: context.orderIDs)
        guard let snapshot = context.restoredState, snapshot.executor == name,
              let saved = try? ExitStateCodec.decode(snapshot.stateJSON, positionKey: snapshot.positionKey),
              saved.symbol == context.position.symbol, saved.side == context.position.side, saved.phase != .finished else {
            return (planned, .planned)
        }
        guard saved.openQuantity == context.position.quantity else {
            if saved.side == .long ? saved.stopPrice > planned.state.stopPrice : saved.stopPrice < planned.state.stopPrice {
                planned.state.stopPrice = saved.stopPrice
                planned.state.stopReason = saved.stopReason
                planned.state.backstopPrice = saved.backstopPrice
                planned.state.stopMoves = saved.stopMoves
            }
            return (planned, .replannedKeepingTighterStop)
        }
        var state = saved
        state.positionKey = context.positionKey
        state.orderIDRunTag = context.orderIDs.runTag
        state.orderIDSequence = context.orderIDs.sequence
        state.phase = .awaitingStart
        state.closeReason = nil
        state.pendingCloses = []
        state.restingBackstop = nil
        state.pendingBackstop = nil
        state.backstopAttempts = 0
        state.backstopsToCancel = []
        state.entryPrice = context.position.entryPrice
        planned.state = state
        return (planned, .restored)
    }
}
