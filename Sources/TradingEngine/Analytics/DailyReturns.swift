import TradingModel

/// Daily returns on equity from closed trades: each trade's net PnL is booked on the UTC day it
/// closed; every calendar day from the first entry to the last exit is in the series (days
/// without a close return 0); a day's return is its PnL over the equity at the start of the day
/// (starting equity plus the PnL of earlier days).
///
/// Sharpe = mean / sample standard deviation × √365; Sortino = mean / downside deviation × √365,
/// the downside deviation being `√(Σ min(r, 0)² / N)` (crypto futures trade every day).
struct DailyReturns {
    var returns: [Double] = []
    var days: Int { returns.count }

    init(_ trades: [StatsTrade], startingEquity: Money?) {
        guard let startingEquity, startingEquity.isPositive, let first = trades.map(\.record.entryTime).min(),
              let last = trades.map(\.record.exitTime).max() else { return }
        let firstDay = first.utcDay, lastDay = last.utcDay
        guard lastDay >= firstDay, lastDay - firstDay < 100_000 else { return }
        var pnl = [Double](repeating: 0, count: Int(lastDay - firstDay + 1))
        for trade in trades { pnl[Int(trade.record.exitTime.utcDay - firstDay)] += trade.record.netPnL.doubleValue }
        var equity = startingEquity.doubleValue
        for dayPnL in pnl {
            guard equity > 0 else { break }
            returns.append(dayPnL / equity)
            equity += dayPnL
        }
    }

    var sharpe: Double? {
        guard returns.count >= 2 else { return nil }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        guard variance > 0 else { return nil }
        return mean / variance.squareRoot() * 365.0.squareRoot()
    }

    var sortino: Double? {
        guard returns.count >= 2 else { return nil }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let downside = returns.reduce(0) { $0 + min($1, 0) * min($1, 0) } / Double(returns.count)
        guard downside > 0 else { return nil }
        return mean / downside.squareRoot() * 365.0.squareRoot()
    }
}
