import TradingModel

/// ATOMUSDT-like filters (tick 0.001, step 0.01, min notional 5) with Binance's first tiers.
let atom = Instrument(
    symbol: "ATOMUSDT", baseAsset: "ATOM", tickSize: Price("0.001")!, stepSize: Quantity("0.01")!,
    minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 5),
    marginBrackets: [
        MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5_000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
        MarginBracket(notionalFloor: Money(units: 5_000), notionalCap: Money(units: 25_000), maintenanceMarginRate: Rate("0.025")!, maintenanceAmount: Money(units: 75), maxLeverage: 20),
    ])

/// LINKUSDT-like filters (tick 0.001 in 2024 captures; the 0.01/0.01 variant here).
let link = Instrument(
    symbol: "LINKUSDT", baseAsset: "LINK", tickSize: Price("0.01")!, stepSize: Quantity("0.01")!,
    minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 20),
    marginBrackets: [
        MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 10_000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
    ])
