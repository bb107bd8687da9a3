import TradingModel

extension BacktestSummary {
    /// The summary as one JSON object on one line, keys in a fixed order and numbers in fixed
    /// formats (money exact to 10⁻⁸, ratios to 10⁻⁶), so the same run always prints the same
    /// bytes: `qt backtest --json` and the result line of a sweep unit.
    public func jsonLine(symbols: [Symbol], configFingerprint: String, notes: [String] = []) -> String {
        func money(_ value: Money) -> String { value.formatted(decimals: 8) }
        func ratio(_ value: Double) -> String { DisplayNumber.fixed(value, 6) }
        let fields: [(String, String)] = [
            ("symbols", "[" + symbols.map { "\"\($0.name)\"" }.joined(separator: ",") + "]"),
            ("config", "\"\(configFingerprint)\""),
            ("bars", String(bars)),
            ("trades", String(trades)),
            ("wins", String(wins)),
            ("losses", String(losses)),
            ("win_rate_pct", ratio(winRatePct)),
            ("profit_factor", profitFactor.map { $0.isFinite ? ratio($0) : "null" } ?? "null"),
            ("net_pnl", money(netPnL)),
            ("fees", money(feesPaid)),
            ("funding", money(fundingPaid)),
            ("initial_balance", money(initialBalance)),
            ("final_equity", money(finalEquity)),
            ("max_drawdown", money(maxDrawdown)),
            ("max_drawdown_pct", ratio(maxDrawdownEquityPct)),
            ("exposure_pct", ratio(exposurePct)),
            ("liquidations", String(liquidations)),
            ("rejected_orders", String(rejectedOrders)),
            ("notes", "[" + notes.map(Self.jsonString).joined(separator: ",") + "]"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal (quotes, backslashes and control characters escaped).
    static func jsonString(_ text: String) -> String { JSONText.string(text) }
}
