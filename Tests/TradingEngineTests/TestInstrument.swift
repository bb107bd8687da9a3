import TradingModel

/// A test instrument: tick 0.01, step 0.001, min notional 5, three maintenance tiers
/// ([0, 5000): 1% cum 0; [5000, 25000): 2.5% cum 75; [25000, ∞): 5% cum 700).
enum TestInstrument {
    static let symbol: Symbol = "TESTUSDT"
    static let instrument = Instrument(
        symbol: symbol, baseAsset: "TEST", tickSize: Price("0.01")!, stepSize: Quantity("0.001")!, minQuantity: Quantity("0.001")!,
        maxQuantity: Quantity(units: 1_000_000), minNotional: Money(units: 5),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
            MarginBracket(notionalFloor: Money(units: 5000), notionalCap: Money(units: 25_000), maintenanceMarginRate: Rate("0.025")!, maintenanceAmount: Money(units: 75), maxLeverage: 20),
            MarginBracket(notionalFloor: Money(units: 25_000), notionalCap: Money(units: 90_000_000_000), maintenanceMarginRate: Rate("0.05")!, maintenanceAmount: Money(units: 700), maxLeverage: 10),
        ])

    static func fill(_ side: OrderSide, _ quantity: String, at price: String, fee: String = "0", time: Int64 = 0, id: String = "t-1") -> Fill {
        Fill(clientOrderID: ClientOrderID(id)!, symbol: symbol, side: side, price: Price(price)!, quantity: Quantity(quantity)!,
             fee: Money(fee)!, liquidity: .taker, time: Timestamp(milliseconds: time))
    }
}
