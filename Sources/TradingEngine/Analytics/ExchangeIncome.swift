import TradingModel

/// One row of the exchange's income history (Binance `GET /fapi/v1/income`): a booked change of
/// the wallet, signed as the exchange books it (negative = paid).
public struct ExchangeIncome: Sendable, Hashable {
    /// What the row books. Types the analytics do not reconcile keep their venue name.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        case realizedPnL, commission, fundingFee
        case other(String)

        /// The venue's name (`REALIZED_PNL`, `COMMISSION`, `FUNDING_FEE`, `TRANSFER`, …).
        public init(venueName: String) {
            switch venueName {
            case "REALIZED_PNL": self = .realizedPnL
            case "COMMISSION": self = .commission
            case "FUNDING_FEE": self = .fundingFee
            default: self = .other(venueName)
            }
        }

        public var description: String {
            switch self {
            case .realizedPnL: "REALIZED_PNL"
            case .commission: "COMMISSION"
            case .fundingFee: "FUNDING_FEE"
            case .other(let name): name
            }
        }
    }

    /// nil for account-wide rows (a transfer has an empty symbol).
    public var symbol: Symbol?
    public var kind: Kind
    /// Signed amount in `asset`.
    public var amount: Money
    public var asset: String
    public var time: Timestamp
    /// The venue's transaction id, unique per kind.
    public var transactionID: Int64
    /// The fill it belongs to, when the venue says (`tradeId`).
    public var tradeID: String?

    public init(symbol: Symbol?, kind: Kind, amount: Money, asset: String, time: Timestamp, transactionID: Int64, tradeID: String? = nil) {
        self.symbol = symbol
        self.kind = kind
        self.amount = amount
        self.asset = asset
        self.time = time
        self.transactionID = transactionID
        self.tradeID = tradeID
    }

    /// Rows are the same booking when kind and transaction id match (pages may overlap).
    public var identity: String { "\(kind)#\(transactionID)" }
}
