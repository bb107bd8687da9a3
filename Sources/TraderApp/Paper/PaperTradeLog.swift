import TradingEngine
import TradingModel

/// Turns successive runtime states into the lines a trader reads in a paper session's log:
/// entries (side, quantity, price, stop, targets, backstop), changes of a position's exit levels,
/// exits (reason, price, PnL, percentages) and, at the end, the open positions. Pure: the
/// session writes the lines to its `Logger`.
public struct PaperTradeLog: Sendable {
    /// One log line: a constant message and its metadata (dotted keys, display strings).
    public struct Line: Sendable {
        public var message: String
        public var metadata: [(key: String, value: String)]

        /// The value of `key`, if the line has it.
        public subscript(key: String) -> String? { metadata.first { $0.key == key }?.value }
    }

    var tradesSeen = 0
    var positions: [Symbol: PositionExitView] = [:]

    public init() {}

    /// The lines for what changed since the previous state: exits first (a reversal closes
    /// before it re-opens), then entries and changed exit levels.
    public mutating func update(_ state: RuntimeState) -> [Line] {
        var lines: [Line] = []
        for trade in state.trades.dropFirst(tradesSeen) { lines.append(Self.exit(trade)) }
        tradesSeen = state.trades.count
        var current: [Symbol: PositionExitView] = [:]
        for view in state.positions {
            current[view.position.symbol] = view
            let previous = positions[view.position.symbol]
            if let previous, previous.position.side == view.position.side, previous.position.openedAt == view.position.openedAt {
                if previous != view { lines.append(Self.position("paper.exit_levels_changed", view, time: state.time)) }
            } else {
                lines.append(Self.position("paper.entry", view, time: state.time))
            }
        }
        positions = current
        return lines
    }

    /// One line per open position (the end of a session: they stay open and protected).
    public static func openPositions(_ state: RuntimeState) -> [Line] {
        state.positions.map { position("paper.open_position", $0, time: state.time) }
    }

    static func position(_ message: String, _ view: PositionExitView, time: Timestamp) -> Line {
        let position = view.position
        return Line(message: message, metadata: [
            ("time", "\(time)"), ("symbol", position.symbol.name), ("side", "\(position.side)"),
            ("quantity", "\(position.quantity)"), ("price", "\(position.entryPrice)"), ("leverage", "\(position.leverage)"),
            ("stop", view.stopPrice.map { "\($0)" } ?? "none"),
            ("targets", view.targetPrices.isEmpty ? "none" : view.targetPrices.map { "\($0)" }.joined(separator: ",")),
            ("backstop", view.backstopPrice.map { "\($0)" } ?? "none"), ("exit_owner", view.executor ?? "none"),
        ])
    }

    /// An exit: `priceMovePct` is the price change from entry in the position's favour;
    /// `roePct` is the price PnL (before fees) on the initial margin (notional / leverage);
    /// `netPnL` is after fees and funding.
    static func exit(_ trade: ClosedTrade) -> Line {
        let margin = Money(raw: trade.entryPrice.notional(trade.quantity, .nearest).raw / Int64(max(1, trade.leverage)))
        let returns = PositionReturns.of(side: trade.side, entryPrice: trade.entryPrice, price: trade.exitPrice, pnl: trade.grossPnL,
                                         initialMargin: margin.isPositive ? margin : nil, equity: nil)
        return Line(message: "paper.exit", metadata: [
            ("time", "\(trade.exitTime)"), ("symbol", trade.symbol.name), ("side", "\(trade.side)"), ("reason", trade.exitReason.rawValue),
            ("quantity", "\(trade.quantity)"), ("entry_price", "\(trade.entryPrice)"), ("price", "\(trade.exitPrice)"),
            ("pnl.gross", "\(trade.grossPnL)"), ("pnl.fees", "\(trade.fees)"), ("pnl.net", "\(trade.netPnL)"),
            ("price_move_pct", percent(returns.priceMovePct)), ("roe_pct", returns.roePct.map(percent) ?? "n/a"),
        ])
    }

    static func percent(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = Int64(abs(hundredths))
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
