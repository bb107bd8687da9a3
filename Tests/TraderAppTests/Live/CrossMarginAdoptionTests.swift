import Testing
import TraderApp
import TradingEngine
import TradingModel

/// An existing cross-margin position is protected against its liquidation price from the
/// account's actual margin (Binance's cross formula), not the isolated estimate at its leverage.
@Suite("LiveRuntime: cross-margin positions and the account's margin")
struct CrossMarginAdoptionTests {
    /// ATOMUSDT short 446.03 @ 2.224 at 20x in cross margin (no isolated margin); the venue's own
    /// liquidation price is not reported, so only the account's margin can tell.
    static let atom = PositionSnapshot(symbol: "ATOMUSDT", signedQuantity: Quantity("-446.03")!, entryPrice: Price("2.224")!, leverage: 20,
                                       isolatedMargin: .zero, liquidationPrice: nil)

    @Test("Cross margin, thin account: the 20x plan passes the isolated estimate (2.312) but the account's margin liquidates at 2.24000543, inside its backstop: not adopted, closed")
    func thinAccountIsNotAdoptedOnTheIsolatedEstimate() async throws {
        let harness = try LiveHarness()
        // Wallet 817.13 = cross wallet 617.13 + ETH's isolated wallet 200 (isolated margin 150 incl. uPnL −50);
        // BTC (cross) needs 400 maintenance and is 200 down.
        harness.client.setWallet(Money("817.13")!)
        harness.client.seed(positions: [
            Self.atom,
            PositionSnapshot(symbol: "BTCUSDT", signedQuantity: Quantity("0.2")!, entryPrice: Price(units: 60_000), leverage: 20, isolatedMargin: .zero,
                             liquidationPrice: nil, unrealizedPnL: Money(units: -200), maintenanceMargin: Money(units: 400)),
            PositionSnapshot(symbol: "ETHUSDT", signedQuantity: Quantity(units: 1), entryPrice: Price(units: 3000), leverage: 20, isolatedMargin: Money(units: 150),
                             liquidationPrice: Price(units: 2860), unrealizedPnL: Money(units: -50), maintenanceMargin: Money(units: 15)),
        ], orders: [])
        await harness.runtime.noteCrossMargin(["ATOMUSDT"])
        try await harness.runtime.reconcile()
        // LP = (617.13 − 400 + (−200) + 0 + 446.03 × 2.224) / (446.03 × 0.01 + 446.03) = 1009.10072 / 450.4903 = 2.24000543 (down)
        #expect(!(await harness.runtime.hasOwner("ATOMUSDT")), "adopted with a backstop beyond the account's liquidation price")
        let close = try #require(harness.client.submittedOrders.first)
        #expect(close.symbol == "ATOMUSDT" && close.side == .buy && close.reduceOnly && close.quantity == Quantity("446.03")!)
        let alert = try #require(await harness.runtime.alerts.first { $0.kind == "reconcile.closed_unprotected" })
        #expect(alert.message.contains("liquidation price 2.24000543") && alert.message.contains("cross wallet 617.13"), "\(alert.message)")
    }

    @Test("Cross margin, ample account: adopted at its leverage; the plan's liquidation is the account's (24.40001642), not the isolated 2.312")
    func ampleAccountIsAdoptedWithTheCrossLiquidation() async throws {
        let harness = try LiveHarness()
        harness.client.setWallet(Money(units: 10_000))
        harness.client.seed(positions: [Self.atom], orders: [])
        await harness.runtime.noteCrossMargin(["ATOMUSDT"])
        try await harness.runtime.reconcile()
        #expect(await harness.runtime.hasOwner("ATOMUSDT"))
        // LP = (10 000 + 0 + 446.03 × 2.224) / 450.4903 = 10 991.97072 / 450.4903 = 24.400016426… → down → 24.40001642
        let view = try #require(await harness.runtime.state.positions.first)
        #expect(view.liquidationPrice == Price("24.40001642")!)
        #expect(harness.client.submittedOrders.contains { $0.closePosition && $0.type == .stopMarket }, "backstop first")
    }

    @Test("Cross margin: the liquidation price follows the account; after a funding payment the wallet re-read from the venue moves it")
    func crossLiquidationFollowsTheAccount() async throws {
        let liquidation = try await Self.liquidationAfterTheWalletFalls(reportedBy: .execution(.fundingPaid(
            symbol: "ATOMUSDT", amount: Money("0.5")!, rate: Rate("0.0001")!, time: LiveHarness.time(61))))
        // LP = (5000 + 446.03 × 2.224) / 450.4903 = 5991.97072 / 450.4903 = 13.300998312… → down → 13.30099831
        #expect(liquidation == Price("13.30099831")!)
    }

    @Test("Cross margin: a wallet-only account update (a withdrawal, no order report) moves the liquidation price at the next tick")
    func crossLiquidationFollowsAWalletOnlyUpdate() async throws {
        let liquidation = try await Self.liquidationAfterTheWalletFalls(reportedBy: .venueNotice(.walletChanged(
            walletBalance: Money(units: 5_000), reason: "WITHDRAW", time: LiveHarness.time(61))))
        // LP = (5000 + 446.03 × 2.224) / 450.4903 = 13.30099831 (as after a funding payment)
        #expect(liquidation == Price("13.30099831")!)
    }

    /// The ATOM short adopted in cross margin on a 10,000 USDT wallet (liquidation 24.40001642);
    /// then the venue's wallet falls to 5,000 and `change` is the account change the runtime is
    /// told of. The position's liquidation price after the next timer tick.
    static func liquidationAfterTheWalletFalls(reportedBy change: RuntimeInput) async throws -> Price? {
        let harness = try LiveHarness()
        harness.client.setWallet(Money(units: 10_000))
        harness.client.seed(positions: [Self.atom], orders: [])
        await harness.runtime.noteCrossMargin(["ATOMUSDT"])
        try await harness.runtime.reconcile()
        #expect(await harness.runtime.state.positions.first?.liquidationPrice == Price("24.40001642")!)
        harness.client.setWallet(Money(units: 5_000))
        await harness.runtime.handle(change)
        await harness.runtime.handle(.timer(LiveHarness.time(62)))
        return try #require(await harness.runtime.state.positions.first).liquidationPrice
    }
}
