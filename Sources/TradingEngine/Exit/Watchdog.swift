import TradingModel

/// An independent guard over every protected position, its own pure state machine. It knows
/// the positions only from the exit statuses the runtime feeds it (as saved by the executors)
/// and from the market prices it sees itself, so a dead or stuck executor cannot hide from it.
///
/// On every price event and timer tick it checks each open position:
/// - price beyond the stop by more than `beyondStopTolerance` for at least `beyondStopGrace`;
/// - no resting (accepted) backstop for longer than `missingBackstopAfter`;
/// - the executor has processed no event for `executorSilenceAfter` while newer prices arrived
///   (a quiet market is not a silent executor), or, on a timer tick, not even the ticks: the
///   runtime sends every owner the tick and then its status, so this holds when prices stop.
/// Any of these → a CRITICAL alert, a reduce-only MARKET force-close of the remaining quantity
/// and an `Incident`. A position is force-closed again only after `forceCloseRetryInterval`.
///
/// It also learns the venue's positions (`.venuePosition`, from fills and position reports): a
/// venue position with no open owner status for longer than `missingBackstopAfter` has no live
/// owner at all, and is force-closed the same way (see `Watchdog+VenuePositions.swift`).
public struct Watchdog: Sendable {
    public struct Settings: Sendable, Hashable, Codable {
        /// Price move (from the stop, relative to entry) beyond the stop that is tolerated (default 0.20%).
        public var beyondStopTolerance: Rate = Rate("0.002")!
        /// How long the price must stay beyond stop + tolerance (default 2 s; the executor normally
        /// closes on the crossing event itself).
        public var beyondStopGrace: Duration = .seconds(2)
        /// A position with no accepted backstop for this long is unprotected (default 5 s); a venue
        /// position that no owner reports for this long has no live owner.
        public var missingBackstopAfter: Duration = .seconds(5)
        /// The executor is silent when it processed nothing for this long while prices moved (default 10 s).
        public var executorSilenceAfter: Duration = .seconds(10)
        /// Minimum spacing of repeated force-closes of the same position (default 5 s).
        public var forceCloseRetryInterval: Duration = .seconds(5)
        public init() {}
    }

    public enum Event: Sendable, Hashable {
        /// The executor's latest status (from its saved state), as the runtime learns it.
        case status(ExitStatus)
        case price(PriceEvent)
        case timer(Timestamp)
        /// The position is flat; stop watching it.
        case positionClosed(positionKey: String)
        /// The venue's position in `symbol` (signed: short < 0; zero = flat), as of `time`.
        case venuePosition(symbol: Symbol, signedQuantity: Quantity, time: Timestamp)
    }

    public enum Action: Sendable, Hashable {
        case alert(Alert)
        /// Reduce-only MARKET close of the remaining quantity.
        case forceClose(OrderRequest)
        case incident(Incident)
    }

    struct Watched: Sendable {
        var status: ExitStatus
        var unprotectedSince: Timestamp?
        var beyondStopSince: Timestamp?
        var lastForceCloseAt: Timestamp?
    }

    public let settings: Settings
    var positions: [String: Watched] = [:]
    var lastPrice: [Symbol: (price: Price, time: Timestamp)] = [:]
    var venuePositions: [Symbol: VenuePosition] = [:]
    var orderIDs: ClientOrderIDGenerator

    public init(settings: Settings = Settings(), orderIDs: ClientOrderIDGenerator) {
        self.settings = settings
        self.orderIDs = orderIDs
    }

    /// Positions currently watched.
    public var watchedPositionKeys: [String] { positions.keys.sorted() }

    public mutating func on(_ event: Event) -> [Action] {
        switch event {
        case .status(let status):
            guard status.isOpen else {
                positions[status.positionKey] = nil
                return []
            }
            var watched = positions[status.positionKey] ?? Watched(status: status)
            watched.status = status
            if status.restingBackstopPrice != nil {
                watched.unprotectedSince = nil
            } else if watched.unprotectedSince == nil {
                watched.unprotectedSince = status.lastEventAt ?? lastPrice[status.symbol]?.time
            }
            positions[status.positionKey] = watched
            return []
        case .positionClosed(let key):
            positions[key] = nil
            return []
        case .venuePosition(let symbol, let quantity, let time):
            learnVenuePosition(symbol: symbol, signedQuantity: quantity, time: time)
            return []
        case .price(let price):
            lastPrice[price.symbol] = (price.price, price.eventTime)
            return check(now: price.receiveTime, symbol: price.symbol)
        case .timer(let time):
            return check(now: time, symbol: nil)
        }
    }

    private mutating func check(now: Timestamp, symbol: Symbol?) -> [Action] {
        var actions: [Action] = []
        for key in positions.keys.sorted() {
            guard var watched = positions[key], symbol == nil || watched.status.symbol == symbol else { continue }
            let status = watched.status
            var findings: [(Incident.Kind, String)] = []
            let latest = lastPrice[status.symbol]

            if let latest, isBeyondStop(latest.price, status: status) {
                let since = watched.beyondStopSince ?? now
                watched.beyondStopSince = since
                if now.since(since) >= settings.beyondStopGrace {
                    findings.append((.beyondStop, "price \(latest.price) is beyond the stop \(status.stopPrice) by more than \(settings.beyondStopTolerance.percent)% of entry for \(now.since(since))"))
                }
            } else {
                watched.beyondStopSince = nil
            }
            if status.restingBackstopPrice == nil {
                let since = watched.unprotectedSince ?? now
                watched.unprotectedSince = since
                if now.since(since) >= settings.missingBackstopAfter {
                    findings.append((.missingBackstop, "no accepted exchange backstop for \(now.since(since)) (limit \(settings.missingBackstopAfter))"))
                }
            }
            if let processed = status.lastEventAt ?? status.lastPriceEventAt, now.since(processed) >= settings.executorSilenceAfter {
                if let latest, latest.time > processed {
                    findings.append((.executorSilent, "executor \(status.executor) processed nothing since \(processed) while prices arrived until \(latest.time) (\(now.since(processed)))"))
                } else if symbol == nil {
                    // A timer tick: the runtime gave every owner the tick just before and fed its
                    // status; an owner that did not process it is silent even when no price arrives.
                    findings.append((.executorSilent, "executor \(status.executor) processed nothing since \(processed), not even the timer ticks (\(now.since(processed)))"))
                }
            }

            let due = watched.lastForceCloseAt.map { now.since($0) >= settings.forceCloseRetryInterval } ?? true
            if !findings.isEmpty && due {
                watched.lastForceCloseAt = now
                let id = orderIDs.next(.flatten)
                let order = OrderRequest(clientOrderID: id, symbol: status.symbol, side: status.side.exitOrderSide, type: .market,
                                         quantity: status.remainingQuantity, reduceOnly: true)
                let detail = findings.map(\.1).joined(separator: "; ")
                actions.append(.alert(Alert(severity: .critical, kind: .watchdog(findings[0].0),
                                            message: "\(status.symbol) \(status.side) \(status.remainingQuantity) (\(status.positionKey)): \(detail); force-closing at market",
                                            symbol: status.symbol, time: now)))
                actions.append(.forceClose(order))
                for (kind, text) in findings {
                    actions.append(.incident(Incident(kind: kind, positionKey: key, symbol: status.symbol, side: status.side, detectedAt: now,
                                                      price: latest?.price, stopPrice: status.stopPrice, remainingQuantity: status.remainingQuantity,
                                                      executor: status.executor, detail: text, forceCloseOrderID: id)))
                }
            }
            positions[key] = watched
        }
        checkVenuePositions(now: now, symbol: symbol, into: &actions)
        return actions
    }

    /// Beyond `stop ∓ tolerance × entry` against the position.
    func isBeyondStop(_ price: Price, status: ExitStatus) -> Bool {
        let tolerance = Price(raw: status.entryPrice.notional(Quantity(raw: settings.beyondStopTolerance.raw), .nearest).raw)
        return status.side == .long ? price < status.stopPrice - tolerance : price > status.stopPrice + tolerance
    }
}
