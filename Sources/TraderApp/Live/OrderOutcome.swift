import TradingEngine
import TradingModel

/// The result of a lane's venue call, handled by the runtime's loop.
public enum OrderOutcome: Sendable, Hashable {
    case submitted(OrderRequest, OrderSnapshot)
    case submitFailed(OrderRequest, ExecutionError)
    /// The entry's leverage could not be set: the entry was not sent.
    case leverageFailed(OrderRequest, leverage: Int, ExecutionError)
    /// The venue confirmed the cancel (its stream reports the order's end too).
    case cancelled(ClientOrderID, symbol: Symbol)
    case cancelFailed(ClientOrderID, symbol: Symbol, ExecutionError)
    case queried(OrderRequest, OrderSnapshot)
    case queryFailed(OrderRequest, ExecutionError)
    /// A reconciliation's reads; `gapSequence`: the runtime's count of user-data gaps when they were asked for.
    case venueRead(Result<VenueState, ExecutionError>, gapSequence: UInt64, reply: ReconcileReply?)
}

extension OrderRequest {
    /// Neither reduce-only nor close-position: it opens or adds.
    var isEntry: Bool { !reduceOnly && !closePosition }
}
