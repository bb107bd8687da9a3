import TradingEngine
import TradingModel

/// The figures a trader reads first. Money is exact; rates and ratios are Doubles for display.
public struct BacktestSummary: Sendable, Hashable {
    public var bars: Int64
    public var trades: Int
    public var wins: Int
    public var losses: Int
    /// Wins / trades × 100 (a trade wins when its net PnL is positive).
    public var winRatePct: Double
    /// Mean net PnL of winning / losing trades (losing is ≤ 0).
    public var averageWin: Money
    public var averageLoss: Money
    /// Gross profit / gross loss of net trade PnL; nil without losses.
    public var profitFactor: Double?
    /// Net PnL after fees and funding (sum over trades).
    public var netPnL: Money
    public var feesPaid: Money
    /// Funding paid (positive) or received (negative).
    public var fundingPaid: Money
    public var initialBalance: Money
    public var finalEquity: Money
    /// Largest peak-to-trough fall of equity (bar closes and trade closes), USDT and % of peak.
    public var maxDrawdown: Money
    public var maxDrawdownEquityPct: Double
    /// Share of bars with an open position.
    public var exposurePct: Double
    public var liquidations: Int
    public var alerts: Int
    public var rejectedOrders: Int

    public init(output: BacktestOutput, initialBalance: Money) {
        bars = output.bars
        trades = output.trades.count
        // Sums over many trades: saturating (a total beyond ±92 billion USDT is not a result anyway).
        var winSum = Money.zero, lossSum = Money.zero, fees = Money.zero, funding = Money.zero
        var winCount = 0, lossCount = 0, liquidationCount = 0
        for trade in output.trades {
            let net = trade.netPnL
            if net.isPositive { winCount += 1; winSum = winSum.addingSaturated(net) } else { lossCount += 1; lossSum = lossSum.addingSaturated(net) }
            fees = fees.addingSaturated(trade.fees)
            funding = funding.addingSaturated(trade.funding)
            if trade.exitReason == .liquidation { liquidationCount += 1 }
        }
        wins = winCount
        losses = lossCount
        winRatePct = trades == 0 ? 0 : Double(winCount) / Double(trades) * 100
        averageWin = winCount == 0 ? .zero : winSum.divided(by: Int64(winCount), .nearest)
        averageLoss = lossCount == 0 ? .zero : lossSum.divided(by: Int64(lossCount), .nearest)
        profitFactor = lossSum.isZero ? nil : winSum.doubleValue / -lossSum.doubleValue
        netPnL = winSum + lossSum
        feesPaid = fees
        fundingPaid = funding
        self.initialBalance = initialBalance
        finalEquity = output.finalEquity
        maxDrawdown = output.equityCurve?.maxDrawdown ?? .zero
        maxDrawdownEquityPct = output.equityCurve?.maxDrawdownEquityPct ?? 0
        exposurePct = output.equityCurve?.exposurePct ?? 0
        liquidations = liquidationCount
        alerts = output.alerts.count
        rejectedOrders = output.rejections.count
    }

    /// Money rounded to the cent (halves away from zero) for display.
    static func usdt(_ amount: Money) -> String {
        // Kept a cent inside `Int64` so rounding up cannot overflow.
        let inside = Money(raw: min(max(amount.raw, Int64.min + 1_000_000), Int64.max - 1_000_000))
        return inside.rounded(toMultipleOf: Money(raw: 1_000_000), .nearest).formatted(decimals: 2)
    }

    /// Human-readable lines for the terminal.
    public var lines: [String] {
        [
            "bars              \(bars)",
            "trades            \(trades) (\(wins) won, \(losses) lost, win rate \(DisplayNumber.fixed(winRatePct, 2))%)",
            "average win       \(Self.usdt(averageWin)) USDT",
            "average loss      \(Self.usdt(averageLoss)) USDT",
            "profit factor     \(profitFactor.map { DisplayNumber.fixed($0, 3) } ?? "n/a (no losing trade)")",
            "net PnL           \(Self.usdt(netPnL)) USDT (after fees and funding)",
            "fees paid         \(Self.usdt(feesPaid)) USDT",
            "funding paid      \(Self.usdt(fundingPaid)) USDT",
            "final equity      \(Self.usdt(finalEquity)) USDT (start \(Self.usdt(initialBalance)))",
            "max drawdown      \(Self.usdt(maxDrawdown)) USDT (\(DisplayNumber.fixed(maxDrawdownEquityPct, 2))% of peak equity)",
            "exposure          \(DisplayNumber.fixed(exposurePct, 2))% of bars in a position",
            "liquidations      \(liquidations)",
            "alerts            \(alerts)",
            "rejected orders   \(rejectedOrders)",
        ]
    }
}

/// Fixed-decimal formatting of display Doubles without Foundation (deterministic output).
public enum DisplayNumber {
    public static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        // Beyond what `Int64` holds at this precision: Swift's own notation (`9.2e+18`), no trap.
        guard abs(value) < 1e15 else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = (scaled / scale).rounded(.towardZero)
        var fraction = String(Int64(scaled - whole * scale))
        while fraction.count < places { fraction = "0" + fraction }
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return places == 0 ? sign + String(Int64(whole)) : sign + String(Int64(whole)) + "." + fraction
    }
}
