import TradingModel

/// What runs beside the kernel in every driver (the backtest engine's `BacktestRuntime`, the
/// live runtime): the `Watchdog`, fed the owners' statuses, prices, timer ticks and the venue's
/// positions, with its force-closes stamped with the time of the event that caused them. A
/// value: events in, actions out; the driver performs them (send, alert, record).
///
/// The venue's position per symbol is learned from what the venue reports (`VenuePositions`):
/// a simulated exchange reports fills only, so its position is the sum of its fills; Binance
/// reports the absolute position after each execution (before or after the fill), so there
/// the position reports are the truth and fills are not added (they would count twice).
public struct Supervisor: Sendable {
    /// Where the venue's position comes from.
    public enum VenuePositions: Sendable, Hashable {
        /// The sum of the venue's fills (and its liquidations): a venue without position reports.
        case fromFills
        /// The venue's position reports (and its liquidations); fills are not added.
        case fromPositionReports
        /// Not watched (exit owners that report no status, which the watchdog would take for missing).
        case ignored
    }

    public enum Event: Sendable, Hashable {
        /// An exit owner's latest status (after a save, a price, a tick).
        case ownerStatus(ExitStatus)
        /// A price point, after the venue and the kernel acted on it.
        case price(PriceEvent)
        case timer(Timestamp)
        /// A venue report (the venue's position is learned from it).
        case venue(ExecutionEvent)
        /// The venue's position read directly (reconciliation), signed.
        case venuePosition(symbol: Symbol, signedQuantity: Quantity, time: Timestamp)
        /// The position is flat; its owner is no longer watched.
        case positionClosed(positionKey: String)
    }

    public enum Action: Sendable, Hashable {
        case alert(Alert)
        /// Send this reduce-only close (the watchdog's), at `time`: the event that caused it.
        case forceClose(OrderRequest, time: Timestamp)
        case incident(Incident)
    }

    public private(set) var watchdog: Watchdog
    public let venuePositions: VenuePositions
    /// The venue's signed position per symbol (flat symbols absent).
    public private(set) var positions: [Symbol: Quantity] = [:]
    /// Time of the latest timed event (stamps force-closes).
    private var lastTime = Timestamp(milliseconds: 0)

    public init(watchdog: Watchdog, venuePositions: VenuePositions) {
        self.watchdog = watchdog
        self.venuePositions = venuePositions
    }

    public mutating func on(_ event: Event) -> [Action] {
        switch event {
        case .ownerStatus(let status):
            return perform(watchdog.on(.status(status)))
        case .price(let price):
            lastTime = price.eventTime
            return perform(watchdog.on(.price(price)))
        case .timer(let time):
            lastTime = time
            return perform(watchdog.on(.timer(time)))
        case .venue(let report):
            guard let (symbol, quantity, time) = position(after: report) else { return [] }
            return venuePosition(symbol: symbol, signedQuantity: quantity, time: time)
        case .venuePosition(let symbol, let quantity, let time):
            guard venuePositions != .ignored else { return [] }
            return venuePosition(symbol: symbol, signedQuantity: quantity, time: time)
        case .positionClosed(let key):
            return perform(watchdog.on(.positionClosed(positionKey: key)))
        }
    }

    /// The venue's position of the report's symbol after it, when the report changes what is known.
    private func position(after report: ExecutionEvent) -> (Symbol, Quantity, Timestamp)? {
        let before = positions[report.symbol] ?? .zero
        switch (report, venuePositions) {
        case (.filled(let fill), .fromFills):
            return (fill.symbol, fill.side == .buy ? before + fill.quantity : before - fill.quantity, fill.time)
        case (.positionChanged(let symbol, let quantity, let time), .fromFills),
             (.positionChanged(let symbol, let quantity, let time), .fromPositionReports):
            return (symbol, quantity, time)
        case (.liquidated(let symbol, _, _, let time), .fromFills), (.liquidated(let symbol, _, _, let time), .fromPositionReports):
            return (symbol, .zero, time)
        default:
            return nil
        }
    }

    private mutating func venuePosition(symbol: Symbol, signedQuantity: Quantity, time: Timestamp) -> [Action] {
        positions[symbol] = signedQuantity.isZero ? nil : signedQuantity
        return perform(watchdog.on(.venuePosition(symbol: symbol, signedQuantity: signedQuantity, time: time)))
    }

    private func perform(_ actions: [Watchdog.Action]) -> [Action] {
        actions.map { action in
            switch action {
            case .alert(let alert): .alert(alert)
            case .forceClose(let order): .forceClose(order, time: lastTime)
            case .incident(let incident): .incident(incident)
            }
        }
    }
}
