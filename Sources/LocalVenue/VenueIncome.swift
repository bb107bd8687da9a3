import TradingModel

/// One income row (`/fapi/v1/income`): `REALIZED_PNL`, `COMMISSION`, `FUNDING_FEE`.
struct VenueIncome: Sendable, Hashable {
    var transactionID: Int64
    var symbol: Symbol
    var type: String
    /// Signed: negative = paid.
    var amount: Money
    var tradeID: Int64?
    var time: Timestamp

    var json: VenueJSON {
        .object([
            ("symbol", .string(symbol.name)), ("incomeType", .string(type)), ("income", .value(amount)), ("asset", .string("USDT")),
            ("info", .string(type)), ("time", .time(time)), ("tranId", .integer(transactionID)),
            ("tradeId", .string(tradeID.map(String.init) ?? "")),
        ])
    }
}
