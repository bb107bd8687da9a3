import TradingEngine
import TradingModel

/// The data the report page's script draws, as one JSON object (embedded in the page):
///
/// - `symbols`: per symbol `name`, `q` (price quantum: the greatest common divisor of its
///   prices, so prices are small integers), `runs` (`[first bar index, open time ms, step ms]`
///   for each stretch of evenly spaced bars), `c` (close deltas in quanta from the previous
///   close, the first from 0), `h` / `l` (high above / low below the close, in quanta).
/// - `reasons`: exit reason names; trades refer to them by index.
/// - `trades`: columns `s` (symbol index), `side` (1 long, -1 short), `et`/`xt` (entry/exit
///   time ms), `ep`/`xp` (prices), `r` (reason index), `net`, `fees`, `qty`, `stop` (the planned
///   stop or null), `tg` (the planned target prices).
/// - `equity`: `t` (ms), `v` (equity), `d` (drawdown), USDT.
///
/// Deterministic: the same run gives the same bytes. Linear in bars + trades + samples.
enum ReportData {
    static func json(prices: [ReportPriceSeries], output: BacktestOutput, reasons: [ExitReason]) -> [UInt8] {
        let barCount = prices.reduce(0) { $0 + $1.candles.count }
        var json = ReportJSON(capacity: barCount * 10 + output.trades.count * 120 + 4096)
        json.raw("{")
        json.key("symbols")
        json.array(prices) { json, series in priceSeries(series, into: &json) }
        json.raw(",")
        json.key("reasons")
        json.array(reasons) { json, reason in json.string(reason.rawValue) }
        json.raw(",")
        trades(output: output, symbols: prices.map(\.symbol), reasons: reasons, into: &json)
        json.raw(",")
        let samples = output.equityCurve?.samples ?? []
        json.key("equity")
        json.raw("{")
        json.key("t")
        json.array(samples) { json, sample in json.int(sample.time.milliseconds) }
        json.raw(",")
        json.key("v")
        json.array(samples) { json, sample in json.decimal(sample.equity.raw) }
        json.raw(",")
        json.key("d")
        json.array(samples) { json, sample in json.decimal(sample.drawdown.raw) }
        json.raw("}}")
        return json.bytes
    }

    /// Greatest common divisor of every price raw of `candles` (1 when there are none).
    static func quantum(_ candles: [Candle]) -> Int64 {
        var divisor: Int64 = 0
        func gcd(_ a: Int64, _ b: Int64) -> Int64 {
            var (x, y) = (a.magnitude, b.magnitude)
            while y != 0 { (x, y) = (y, x % y) }
            return Int64(x)
        }
        for candle in candles {
            // Most bars are already multiples: one remainder test each, gcd only on a miss.
            if divisor != 0, candle.close.raw % divisor == 0, candle.high.raw % divisor == 0, candle.low.raw % divisor == 0 { continue }
            divisor = gcd(gcd(gcd(divisor, candle.close.raw), candle.high.raw), candle.low.raw)
            if divisor == 1 { return 1 }
        }
        return max(divisor, 1)
    }

    private static func priceSeries(_ series: ReportPriceSeries, into json: inout ReportJSON) {
        let candles = series.candles
        let quantum = quantum(candles)
        json.raw("{")
        json.key("name")
        json.string(series.symbol.name)
        json.raw(",")
        json.key("q")
        json.decimal(quantum)
        json.raw(",")
        json.key("runs")
        json.raw("[")
        var index = 0
        var firstRun = true
        while index < candles.count {
            let start = index
            let step = index + 1 < candles.count ? candles[index + 1].openTime.milliseconds - candles[index].openTime.milliseconds : 60_000
            index += 1
            while index < candles.count, candles[index].openTime.milliseconds - candles[index - 1].openTime.milliseconds == step { index += 1 }
            if !firstRun { json.raw(",") }
            firstRun = false
            json.raw("[")
            json.int(Int64(start))
            json.raw(",")
            json.int(candles[start].openTime.milliseconds)
            json.raw(",")
            json.int(step)
            json.raw("]")
        }
        json.raw("],")
        json.key("c")
        var previous: Int64 = 0
        json.array(candles) { json, candle in
            let close = candle.close.raw / quantum
            json.int(close &- previous)
            previous = close
        }
        json.raw(",")
        json.key("h")
        json.array(candles) { json, candle in json.int((candle.high.raw &- candle.close.raw) / quantum) }
        json.raw(",")
        json.key("l")
        json.array(candles) { json, candle in json.int((candle.close.raw &- candle.low.raw) / quantum) }
        json.raw("}")
    }

    private static func trades(output: BacktestOutput, symbols: [Symbol], reasons: [ExitReason], into json: inout ReportJSON) {
        let trades = output.trades
        // The plan of each trade: the last approved entry of its symbol and side at or before its entry.
        var plans: [Symbol: [(time: Int64, side: Side, plan: ExitPlan)]] = [:]
        for decided in output.decisions {
            if case .approved(let entry) = decided.decision {
                plans[entry.plan.symbol, default: []].append((decided.time.milliseconds, entry.plan.side, entry.plan))
            }
        }
        func plan(of trade: ClosedTrade) -> ExitPlan? {
            guard let list = plans[trade.symbol] else { return nil }
            var low = 0, high = list.count
            while low < high {
                let middle = (low + high) / 2
                if list[middle].time <= trade.entryTime.milliseconds { low = middle + 1 } else { high = middle }
            }
            var index = low - 1
            while index >= 0 {
                if list[index].side == trade.side { return list[index].plan }
                index -= 1
            }
            return nil
        }
        let tradePlans = trades.map(plan(of:))
        let symbolIndex = Dictionary(symbols.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let reasonIndex = Dictionary(reasons.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        json.key("trades")
        json.raw("{")
        json.key("s")
        json.array(trades) { json, trade in json.int(Int64(symbolIndex[trade.symbol] ?? -1)) }
        json.raw(",")
        json.key("side")
        json.array(trades) { json, trade in json.int(trade.side == .long ? 1 : -1) }
        json.raw(",")
        json.key("et")
        json.array(trades) { json, trade in json.int(trade.entryTime.milliseconds) }
        json.raw(",")
        json.key("xt")
        json.array(trades) { json, trade in json.int(trade.exitTime.milliseconds) }
        json.raw(",")
        json.key("ep")
        json.array(trades) { json, trade in json.decimal(trade.entryPrice.raw) }
        json.raw(",")
        json.key("xp")
        json.array(trades) { json, trade in json.decimal(trade.exitPrice.raw) }
        json.raw(",")
        json.key("r")
        json.array(trades) { json, trade in json.int(Int64(reasonIndex[trade.exitReason] ?? -1)) }
        json.raw(",")
        json.key("net")
        json.array(trades) { json, trade in json.decimal(trade.netPnL.raw) }
        json.raw(",")
        json.key("fees")
        json.array(trades) { json, trade in json.decimal(trade.fees.raw) }
        json.raw(",")
        json.key("qty")
        json.array(trades) { json, trade in json.decimal(trade.quantity.raw) }
        json.raw(",")
        json.key("stop")
        json.array(trades.indices) { json, index in
            if let stop = trades[index].plannedStop ?? tradePlans[index]?.stopPrice { json.decimal(stop.raw) } else { json.raw("null") }
        }
        json.raw(",")
        json.key("tg")
        json.array(tradePlans) { json, plan in json.array(plan?.targets ?? []) { json, target in json.decimal(target.price.raw) } }
        json.raw("}")
    }
}
