import TradingModel

/// Simulates what rejected signals would have returned under the exit plan the validator made
/// for them (stop and take-profit slices, stop first), and aggregates the results by reason.
///
/// Feed it, in time order: `track(_:)` with each rejected `ValidationReport` (reports without a
/// plan, e.g. below minimum notional, are counted as unsimulated), then every market event via
/// `observe(_:)` (candles are simulated stop-first inside the bar; mark prices and trades fill at
/// the event price). Call `finish(at:)` at the end of the data: positions still open close at
/// the last seen price with reason `.endOfData`. Trailing and break-even stops are not modelled.
public struct CounterfactualTracker: Sendable, Hashable {
    /// Fee rate charged on entry and on every exit notional (`0.0004` = 0.04% taker).
    public let feeRate: Rate
    public private(set) var openTrades: [CounterfactualTrade] = []
    public private(set) var closedTrades: [CounterfactualTrade] = []
    /// Rejected signals that could not be simulated (no plan), by reason kind.
    public private(set) var unsimulated: [String: Int] = [:]
    private var lastPrices: [Symbol: Price] = [:]

    public init(feeRate: Rate) { self.feeRate = feeRate }

    /// Starts simulating a rejected signal (approved reports are ignored).
    public mutating func track(_ report: ValidationReport) {
        guard !report.isApproved else { return }
        let kinds = Self.uniqueKinds(report.reasons)
        guard let plan = report.plan else {
            for kind in kinds { unsimulated[kind, default: 0] += 1 }
            return
        }
        openTrades.append(CounterfactualTrade(signal: report.signal, reasonKinds: kinds, plan: plan, openedAt: report.time))
    }

    /// Starts simulating a signal rejected for `reasons` under `plan`, from `time`.
    public mutating func track(signal: Signal, reasons: [RejectionReason], plan: ExitPlan, time: Timestamp) {
        openTrades.append(CounterfactualTrade(signal: signal, reasonKinds: Self.uniqueKinds(reasons), plan: plan, openedAt: time))
    }

    public mutating func observe(_ event: MarketEvent) {
        switch event {
        case .candle(let symbol, let candle, _):
            let close = event.time
            update(symbol) { $0.apply(candle: candle, closeTime: close) }
            lastPrices[symbol] = candle.close
        case .markPrice(let mark):
            observe(PriceEvent(symbol: mark.symbol, price: mark.price, source: .markPrice, eventTime: mark.eventTime, receiveTime: mark.receiveTime))
        case .trade(let trade):
            observe(PriceEvent(symbol: trade.symbol, price: trade.price, source: .lastTrade, eventTime: trade.tradeTime, receiveTime: trade.receiveTime))
        case .funding:
            break
        }
    }

    public mutating func observe(_ price: PriceEvent) {
        update(price.symbol) { $0.apply(price: price.price, time: price.eventTime) }
        lastPrices[price.symbol] = price.price
    }

    /// Closes every still-open simulation at the last seen price of its symbol (or its entry
    /// price when none was seen), reason `.endOfData`.
    public mutating func finish(at time: Timestamp) {
        for var trade in openTrades {
            let price = lastPrices[trade.plan.symbol] ?? trade.plan.entryPrice
            trade.close(trade.remainingQuantity, at: price, reason: .endOfData, time: time)
            closedTrades.append(trade)
        }
        openTrades = []
    }

    /// Results per reason kind (sorted by kind), from the closed simulations. A signal rejected
    /// for several reasons counts under each of them.
    public func summaries() -> [CounterfactualSummary] {
        var byKind: [String: [CounterfactualTrade]] = [:]
        for trade in closedTrades {
            for kind in trade.reasonKinds { byKind[kind, default: []].append(trade) }
        }
        return byKind.keys.sorted().map { CounterfactualSummary(reasonKind: $0, trades: byKind[$0] ?? [], feeRate: feeRate) }
    }

    /// Results over every closed simulation, each counted once.
    public func overall() -> CounterfactualSummary {
        CounterfactualSummary(reasonKind: "all_rejected", trades: closedTrades, feeRate: feeRate)
    }

    private mutating func update(_ symbol: Symbol, _ body: (inout CounterfactualTrade) -> Void) {
        guard openTrades.contains(where: { $0.plan.symbol == symbol }) else { return }
        var stillOpen: [CounterfactualTrade] = []
        for var trade in openTrades {
            if trade.plan.symbol == symbol { body(&trade) }
            if trade.isClosed { closedTrades.append(trade) } else { stillOpen.append(trade) }
        }
        openTrades = stillOpen
    }

    static func uniqueKinds(_ reasons: [RejectionReason]) -> [String] {
        var seen: Set<String> = []
        return reasons.map(\.kind).filter { seen.insert($0).inserted }
    }
}

/// Aggregate of simulated rejected signals for one reason.
public struct CounterfactualSummary: Sendable, Hashable {
    public var reasonKind: String
    public var count: Int
    /// Trades with a positive net PnL after fees.
    public var wins: Int
    /// Mean of the net returns on notional (`-0.0008` = −0.08%).
    public var averageNetReturn: Double
    /// Sum of the net returns on notional.
    public var totalNetReturn: Double
    /// Sum of net PnL (fixed point) at the planned sizes.
    public var totalNetPnL: Money

    public init(reasonKind: String, trades: [CounterfactualTrade], feeRate: Rate) {
        self.reasonKind = reasonKind
        count = trades.count
        wins = trades.filter { $0.netPnL(feeRate: feeRate).isPositive }.count
        totalNetReturn = trades.reduce(0) { $0 + $1.netReturnOnNotional(feeRate: feeRate) }
        averageNetReturn = trades.isEmpty ? 0 : totalNetReturn / Double(trades.count)
        totalNetPnL = trades.reduce(Money.zero) { $0 + $1.netPnL(feeRate: feeRate) }
    }

    /// `wins / count` (0 when empty).
    public var winRate: Double { count == 0 ? 0 : Double(wins) / Double(count) }
}
