import TradingEngine
import TradingModel

/// `GET /fapi/v1/accountConfig` (USER_DATA, weight 5): whether the keys may trade and the
/// account's position mode.
public struct BinanceAccountConfig: Sendable, Hashable, Decodable {
    public var feeTier: Int?
    public var canTrade: Bool
    public var canDeposit: Bool?
    public var canWithdraw: Bool?
    /// True: hedge mode; false: one-way.
    public var dualSidePosition: Bool
    public var multiAssetsMargin: Bool?
    public var updateTime: Int64?
}

/// The account's totals in fixed point, each checked where it enters (`BinanceAccount.status()`).
public struct BinanceAccountTotals: Sendable, Hashable {
    public var wallet: Money
    public var unrealizedPnL: Money
    /// Wallet + unrealised PnL.
    public var marginBalance: Money
    public var initialMargin: Money
    public var maintenanceMargin: Money
    public var available: Money

    /// Binance's account margin ratio: maintenance margin / margin balance × 100 (liquidation at
    /// 100%); nil when the margin balance is not positive.
    public var marginRatioPct: Double? {
        guard marginBalance.isPositive else { return nil }
        return maintenanceMargin.doubleValue / marginBalance.doubleValue * 100
    }
}

extension BinanceAccount {
    /// Every total of the account; a missing margin balance is wallet + unrealised PnL.
    public func status() throws(BinanceDecodingError) -> BinanceAccountTotals {
        let context = "account"
        let (wallet, unrealized, available) = try totals()
        let margin: Money = try Field.optionalDecimal(totalMarginBalance, "totalMarginBalance", context) ?? (wallet + unrealized)
        return BinanceAccountTotals(wallet: wallet, unrealizedPnL: unrealized, marginBalance: margin,
                                    initialMargin: try Field.optionalDecimal(totalInitialMargin, "totalInitialMargin", context) ?? .zero,
                                    maintenanceMargin: try Field.optionalDecimal(totalMaintMargin, "totalMaintMargin", context) ?? .zero,
                                    available: available)
    }
}

extension BinancePositionRisk {
    /// The venue's mark price of the row (`markPrice`; nil when absent or zero).
    public func markPriceValue() throws(BinanceDecodingError) -> Price? {
        try Field.optionalPrice(markPrice, "markPrice", "positionRisk.\(symbol)")
    }
}
