import TradingModel

/// The store's money against the exchange's income history over one period, per symbol and per
/// component (realised PnL, commission, funding), every amount as its effect on the wallet
/// (negative = paid) and exact: a difference of 10⁻⁸ USDT is shown as it is.
///
/// * Realised: the store's closed trades exiting in the period, gross of fees and funding
///   (`net + fees + funding`), against `REALIZED_PNL` rows (booked per closing fill).
/// * Commission: the fees of the store's fills in the period (open positions included), negated,
///   against `COMMISSION` rows.
/// * Funding: the funding of those closed trades, negated, against `FUNDING_FEE` rows (funding
///   of a position still open is in the exchange's rows only, and shows as a difference).
///
/// Rows of symbols the store never traded are listed with their symbol (a position opened by
/// hand or another bot on the account); rows of other kinds (`TRANSFER`, …) are counted apart:
/// they move the wallet but are not trading income.
public struct IncomeReconciliation: Sendable, Hashable {
    public enum Component: String, Sendable, Hashable, CaseIterable {
        case realizedPnL = "realised PnL", commission, funding
    }

    /// One symbol and component.
    public struct Line: Sendable, Hashable {
        public var symbol: Symbol
        public var component: Component
        public var store: Money
        public var exchange: Money
        /// Exchange rows behind `exchange`.
        public var rows: Int
        /// `exchange − store`, exact.
        public var difference: Money
        /// The store never traded this symbol in the period.
        public var foreign: Bool
    }

    /// A number of exchange rows and their sum.
    public struct Tally: Sendable, Hashable {
        public var rows: Int
        public var amount: Money
        public init(rows: Int, amount: Money) {
            self.rows = rows
            self.amount = amount
        }
    }

    public var from: Timestamp
    public var to: Timestamp
    /// By symbol, then component.
    public var lines: [Line]
    /// Σ differences of every line.
    public var unexplained: Money
    /// Rows of other kinds (and reconciled kinds without a symbol), by name: count and sum.
    public var otherIncome: [String: Tally]
    /// Rows in another asset than USDT (not summed: a different unit).
    public var otherAssetRows: Int

    /// Reconciles `trades` and `fills` of the store with `income` over `[from, to]` (inclusive).
    /// Duplicate rows (same kind and transaction id) count once.
    public static func of(trades: [TradeRecord], fills: [FillRecord], income: [ExchangeIncome], from: Timestamp, to: Timestamp,
                          asset: String = "USDT") throws(TradeStatisticsError) -> IncomeReconciliation {
        struct Key: Hashable { var symbol: Symbol; var component: Component }
        var store: [Key: Int128] = [:], exchange: [Key: Int128] = [:], rows: [Key: Int] = [:]
        var traded = Set<Symbol>()
        for trade in trades where trade.exitTime >= from && trade.exitTime <= to {
            traded.insert(trade.symbol)
            store[Key(symbol: trade.symbol, component: .realizedPnL), default: 0]
                += Int128(trade.netPnL.raw) + Int128(trade.fees.raw) + Int128(trade.funding.raw)
            store[Key(symbol: trade.symbol, component: .funding), default: 0] -= Int128(trade.funding.raw)
        }
        for record in fills where record.fill.time >= from && record.fill.time <= to {
            traded.insert(record.fill.symbol)
            store[Key(symbol: record.fill.symbol, component: .commission), default: 0] -= Int128(record.fill.fee.raw)
        }
        var seen = Set<String>()
        var other: [String: (rows: Int, amount: Int128)] = [:]
        var otherAsset = 0
        for row in income where row.time >= from && row.time <= to && seen.insert(row.identity).inserted {
            guard row.asset == asset else { otherAsset += 1; continue }
            let component: Component
            switch row.kind {
            case .realizedPnL: component = .realizedPnL
            case .commission: component = .commission
            case .fundingFee: component = .funding
            case .other(let name):
                other[name, default: (0, 0)].rows += 1
                other[name, default: (0, 0)].amount += Int128(row.amount.raw)
                continue
            }
            guard let symbol = row.symbol else {
                other["\(row.kind) without symbol", default: (0, 0)].rows += 1
                other["\(row.kind) without symbol", default: (0, 0)].amount += Int128(row.amount.raw)
                continue
            }
            let key = Key(symbol: symbol, component: component)
            exchange[key, default: 0] += Int128(row.amount.raw)
            rows[key, default: 0] += 1
        }
        let keys = Set(store.keys).union(exchange.keys).sorted { ($0.symbol.name, Component.allCases.firstIndex(of: $0.component)!) < ($1.symbol.name, Component.allCases.firstIndex(of: $1.component)!) }
        var lines: [Line] = []
        var total = Int128(0)
        for key in keys {
            let ours = store[key] ?? 0, theirs = exchange[key] ?? 0
            total += theirs - ours
            lines.append(Line(symbol: key.symbol, component: key.component, store: try TradeStatistics.money(ours, "the store's \(key.component.rawValue) of \(key.symbol)"),
                              exchange: try TradeStatistics.money(theirs, "the exchange's \(key.component.rawValue) of \(key.symbol)"),
                              rows: rows[key] ?? 0, difference: try TradeStatistics.money(theirs - ours, "a difference"),
                              foreign: !traded.contains(key.symbol)))
        }
        var otherIncome: [String: Tally] = [:]
        for (name, value) in other { otherIncome[name] = Tally(rows: value.rows, amount: try TradeStatistics.money(value.amount, "the \(name) income")) }
        return IncomeReconciliation(from: from, to: to, lines: lines, unexplained: try TradeStatistics.money(total, "the unexplained income"),
                                    otherIncome: otherIncome, otherAssetRows: otherAsset)
    }
}
