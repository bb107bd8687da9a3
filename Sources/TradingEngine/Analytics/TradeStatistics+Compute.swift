import TradingModel

extension TradeStatistics {
    /// Computes every figure over `trades` (any order). `startingEquity` (USDT) is the equity the
    /// daily returns and the drawdown percentage are measured against; without it those are nil.
    public static func compute(_ trades: [StatsTrade], startingEquity: Money? = nil) throws(TradeStatisticsError) -> TradeStatistics {
        guard !trades.isEmpty else { throw .noTrades }
        let byExit = trades.sorted { ($0.record.exitTime, $0.record.entryTime) < ($1.record.exitTime, $1.record.entryTime) }
        let groups = OverlapGroups.assign(byExit.map { ($0.record.entryTime, $0.record.exitTime) })
        let groupCount = OverlapGroups.count(groups)

        var winSum = Int128(0), lossSum = Int128(0), feeSum = Int128(0), fundingSum = Int128(0)
        var winCount = 0
        for trade in byExit {
            let net = Int128(trade.record.netPnL.raw)
            if net > 0 { winCount += 1; winSum += net } else { lossSum += net }
            feeSum += Int128(trade.record.fees.raw)
            fundingSum += Int128(trade.record.funding.raw)
        }
        let count = byExit.count
        let lossCount = count - winCount
        let netSum = winSum + lossSum

        let outcomes = byExit.map { $0.record.netPnL.isPositive }
        let winRate = ClusteredEstimates.proportion(outcomes, clusters: groups)!
        let nets = byExit.map { $0.record.netPnL.doubleValue }
        let expectancy = ClusteredEstimates.mean(nets, clusters: groups)!

        let rIndices = byExit.indices.filter { byExit[$0].rMultiple != nil }
        let rEstimate = ClusteredEstimates.mean(rIndices.map { byExit[$0].rMultiple! }, clusters: dense(rIndices.map { groups[$0] }))

        let targetKnown = byExit.compactMap(\.targetsHit)
        let targetRates = (1...3).map { level in
            targetKnown.isEmpty ? 0 : Double(targetKnown.filter { $0.contains(level) }.count) / Double(targetKnown.count)
        }

        var harvested = 0.0, available = 0.0, harvestCount = 0
        for trade in byExit {
            guard let best = trade.bestExitPnL else { continue }
            harvestCount += 1
            harvested += Double(trade.grossRaw) / Double(FixedPoint.scale)
            available += best
        }

        var reasons: [String: Int] = [:]
        for trade in byExit { reasons[trade.record.exitReason, default: 0] += 1 }
        let reasonCounts = reasons.map { ExitReasonCount(reason: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }

        let holds = byExit.map { max(0, Int128($0.record.exitTime.milliseconds) - Int128($0.record.entryTime.milliseconds)) }.sorted()
        let meanHold = holds.reduce(Int128(0), +) / Int128(count)
        let medianHold = count % 2 == 1 ? holds[count / 2] : (holds[count / 2 - 1] + holds[count / 2]) / 2

        let drawdown = realisedDrawdown(byExit, startingEquity: startingEquity)
        let daily = DailyReturns(byExit, startingEquity: startingEquity)

        let enough = groupCount >= minimumIndependentTrades
        var edge = SampleVerdict.Edge.notJudged
        if enough, let interval = expectancy.interval {
            edge = interval.low > 0 ? .positive : interval.high < 0 ? .negative : .undecided
        }
        let averageWin = winCount == 0 ? nil : try money(winSum / Int128(winCount) + roundingAdjust(winSum, winCount), "the average win")
        let averageLoss = lossCount == 0 ? nil : try money(lossSum / Int128(lossCount) + roundingAdjust(lossSum, lossCount), "the average loss")
        let payoff: Double? = if let averageWin, let averageLoss, averageLoss.isNegative { averageWin.doubleValue / -averageLoss.doubleValue } else { nil }

        return TradeStatistics(
            count: count, independentGroups: groupCount, wins: winCount, losses: lossCount,
            winRate: winRate.rate, winRateInterval: winRate.interval, winRateEffectiveCount: winRate.effectiveCount,
            averageWin: averageWin, averageLoss: averageLoss, payoffRatio: payoff,
            profitFactor: lossSum == 0 ? nil : Double(winSum) / Double(-lossSum),
            grossProfit: try money(winSum, "the gross profit"), grossLoss: try money(lossSum, "the gross loss"),
            netPnL: try money(netSum, "the net PnL"), fees: try money(feeSum, "the fees"), funding: try money(fundingSum, "the funding"),
            expectancy: try money(netSum / Int128(count) + roundingAdjust(netSum, count), "the expectancy"),
            expectancyInterval: expectancy.interval,
            expectancyR: rEstimate?.mean, expectancyRInterval: rEstimate?.interval, rTrades: rIndices.count,
            targetHitRates: targetRates, targetTrades: targetKnown.count,
            stopHitRate: Double(byExit.filter(\.stoppedOut).count) / Double(count),
            exitReasons: reasonCounts,
            harvestEffectiveness: available > 0 ? harvested / available : nil, harvestTrades: harvestCount,
            meanTimeInTrade: .milliseconds(Int64(clamping: meanHold)), medianTimeInTrade: .milliseconds(Int64(clamping: medianHold)),
            maxDrawdown: try money(drawdown.amount, "the drawdown"), maxDrawdownPct: drawdown.pct,
            sharpe: daily.sharpe, sortino: daily.sortino, days: daily.days, startingEquity: startingEquity,
            verdict: SampleVerdict(required: minimumIndependentTrades, closedTrades: count, independentTrades: groupCount,
                                   enough: enough, edge: edge))
    }

    /// Renumbers cluster ids densely (0, 1, …) in order of first appearance.
    static func dense(_ clusters: [Int]) -> [Int] {
        var map: [Int: Int] = [:]
        return clusters.map { cluster in
            if let known = map[cluster] { return known }
            map[cluster] = map.count
            return map.count - 1
        }
    }

    /// The correction that turns truncating division `sum / count` into rounding to nearest (halves away from zero).
    static func roundingAdjust(_ sum: Int128, _ count: Int) -> Int128 {
        let remainder = sum % Int128(count)
        guard remainder.magnitude * 2 >= UInt128(count) else { return 0 }
        return sum < 0 ? -1 : 1
    }

    static func money(_ raw: Int128, _ what: String) throws(TradeStatisticsError) -> Money {
        guard let value = Int64(exactly: raw) else { throw .outOfRange(what) }
        return Money(raw: value)
    }

    /// Largest peak-to-trough fall of cumulative net PnL (trades in exit order), in raw units,
    /// and as a share of the peak equity when a starting equity is known.
    static func realisedDrawdown(_ byExit: [StatsTrade], startingEquity: Money?) -> (amount: Int128, pct: Double?) {
        let start = Int128(startingEquity?.raw ?? 0)
        var equity = start, peak = start, worst = Int128(0), worstPct: Double? = startingEquity == nil ? nil : 0
        for trade in byExit {
            equity += Int128(trade.record.netPnL.raw)
            peak = max(peak, equity)
            let fall = peak - equity
            if fall > worst { worst = fall }
            if startingEquity != nil, peak > 0 {
                let pct = Double(fall) / Double(peak) * 100
                if pct > (worstPct ?? 0) { worstPct = pct }
            }
        }
        return (worst, worstPct)
    }
}
