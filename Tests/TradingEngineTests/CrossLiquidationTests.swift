import Testing
import TradingEngine
import TradingModel

/// Binance's cross-margin liquidation price (reference digest §9), hand-computed:
/// `LP = (WB − TMM1 + UPNL1 + cum − side·size·EP) / (size·MMR − side·size)`.
@Suite("Accounting: cross-margin liquidation from the account's margin")
struct CrossLiquidationTests {
    static let tier = MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 50_000), maintenanceMarginRate: Rate("0.005")!,
                                    maintenanceAmount: Money(units: 50), maxLeverage: 50)
    static let atomTier = MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5_000), maintenanceMarginRate: Rate("0.01")!,
                                        maintenanceAmount: .zero, maxLeverage: 50)

    @Test("Cross long: other positions' maintenance margin counts against, their gains for; nearer than the isolated estimate at 10x")
    func crossLong() {
        // 0.5 @ 60 000 long, tier MMR 0.5%, cum 50; cross wallet 2000, other positions' maintenance 100, their uPnL +300.
        // LP = (2000 − 100 + 300 + 50 − 0.5·60 000) / (0.5·0.005 − 0.5) = −27 750 / −0.4975 = 55 778.894472361… → up → 55 778.89447237
        let price = LiquidationPrice.cross(side: .long, quantity: Quantity("0.5")!, entryPrice: Price(units: 60_000), crossWalletBalance: Money(units: 2000),
                                           otherMaintenanceMargin: Money(units: 100), otherUnrealizedPnL: Money(units: 300), bracket: Self.tier)
        #expect(price == Price("55778.89447237")!)
        // The isolated estimate at 10x (margin 3000): (3000 + 50 − 30 000) / −0.4975 = 54 170.85… — further from entry.
        let isolated = LiquidationPrice.isolated(side: .long, quantity: Quantity("0.5")!, entryPrice: Price(units: 60_000), isolatedMargin: Money(units: 3000),
                                                 bracket: Self.tier)
        #expect(isolated == Price("54170.85427136")!)
    }

    @Test("Cross short: a thin account (cross wallet 617.13, others' maintenance 400, their uPnL −200) liquidates ATOM short 446.03 @ 2.224 at 2.24000543, not 2.31 as at 20x isolated")
    func crossShortOnAThinAccount() {
        // LP = (617.13 − 400 − 200 + 0 + 446.03·2.224) / (446.03·0.01 + 446.03) = 1009.10072 / 450.4903 = 2.240005434… → down → 2.24000543
        let price = LiquidationPrice.cross(side: .short, quantity: Quantity("446.03")!, entryPrice: Price("2.224")!, crossWalletBalance: Money("617.13")!,
                                           otherMaintenanceMargin: Money(units: 400), otherUnrealizedPnL: Money(units: -200), bracket: Self.atomTier)
        #expect(price == Price("2.24000543")!)
        // Isolated at 20x: margin 991.97072 / 20 = 49.598536; (49.598536 + 991.97072) / 450.4903 = 2.312079207… → 2.31207920
        let isolated = LiquidationPrice.isolated(side: .short, quantity: Quantity("446.03")!, entryPrice: Price("2.224")!,
                                                 isolatedMargin: Money("49.598536")!, bracket: Self.atomTier)
        #expect(isolated == Price("2.3120792")!)
    }

    @Test("Cross: an account whose margin covers the whole long cannot liquidate it; absurd sums give nil, not a trap")
    func extremes() {
        #expect(LiquidationPrice.cross(side: .long, quantity: Quantity(units: 10), entryPrice: Price(units: 100), crossWalletBalance: Money(units: 5000),
                                       otherMaintenanceMargin: .zero, otherUnrealizedPnL: .zero, bracket: Self.atomTier) == .zero)
        #expect(LiquidationPrice.cross(side: .short, quantity: Quantity(units: 10), entryPrice: Price(units: 100), crossWalletBalance: Money(raw: .max),
                                       otherMaintenanceMargin: Money(raw: .min), otherUnrealizedPnL: .zero, bracket: Self.atomTier) == nil)
    }
}
