import Testing
import TradingEngine
import TradingModel

/// A run's money, accounted to the 10⁻⁸ with the arithmetic written out.
@Suite struct MoneyFlowTests {
    static func trade(_ side: Side, entry: String, exit: String, quantity: String, fees: String, funding: String, net: String,
                      reason: ExitReason, stop: String?, at hour: Int64) -> TradeRecord {
        TradeRecord(runID: 1, symbol: "ATOMUSDT", side: side, quantity: Quantity(quantity)!, entryTime: Timestamp(milliseconds: hour * 3_600_000),
                    entryPrice: Price(entry)!, exitTime: Timestamp(milliseconds: (hour + 1) * 3_600_000), exitPrice: Price(exit)!,
                    exitReason: reason.rawValue, fees: Money(fees)!, funding: Money(funding)!, netPnL: Money(net)!, leverage: 2,
                    plannedStop: stop.flatMap { Price($0) })
    }

    static func fill(_ fee: String) -> FillRecord {
        FillRecord(runID: 1, fill: Fill(clientOrderID: ClientOrderID("qt-1-1-en")!, symbol: "ATOMUSDT", side: .sell, price: 1, quantity: 1,
                                        fee: Money(fee)!, liquidity: .taker, time: Timestamp(milliseconds: 0)))
    }

    @Test func walletsAreExplainedToTheLastUnit() throws {
        // 1: SHORT 100 at 2.224 stopped at 2.256 (backstop), planned stop 2.25:
        //    gross −100 × 0.032 = −3.2; fees 0.2256; funding 0.01 → net −3.4356; slippage −1 × (2.25 − 2.256) × 100 = 0.6
        // 2: LONG 50 at 2.2 → 2.3 take profit: gross +5; fees 0.1125; funding −0.005 → net 4.8925
        let trades = [
            Self.trade(.long, entry: "2.2", exit: "2.3", quantity: "50", fees: "0.1125", funding: "-0.005", net: "4.8925", reason: .takeProfit, stop: "2.1", at: 5),
            Self.trade(.short, entry: "2.224", exit: "2.256", quantity: "100", fees: "0.2256", funding: "0.01", net: "-3.4356", reason: .backstop, stop: "2.25", at: 1),
        ]
        // fills: the trades' 0.2256 + 0.1125 = 0.3381, plus 0.05 of an entry still open
        let fills = ["0.1112", "0.1144", "0.055", "0.0575", "0.05"].map(Self.fill)
        // start 1000; explained 1000 − 3.4356 + 4.8925 − 0.05 = 1001.4069; recorded 1001.40689999 → 0.00000001 short
        let flow = try MoneyFlow.of(trades: trades, fills: fills, startingWallet: Money(units: 1000), recordedWallet: Money("1001.40689999")!)
        #expect(flow.lines.map(\.trade.exitReason) == ["backstop", "take_profit"])   // by exit time
        #expect(flow.lines.map(\.grossPnL) == [Money("-3.2")!, Money(units: 5)])
        #expect(flow.lines.map(\.walletAfter) == [Money("996.5644")!, Money("1001.4569")!])
        #expect(flow.grossPnL == Money("1.8")! && flow.fees == Money("0.3381")! && flow.funding == Money("0.005")! && flow.netPnL == Money("1.4569")!)
        #expect(flow.feesOfFills == Money("0.3881")! && flow.openPositionFees == Money("0.05")!)
        #expect(flow.explainedWallet == Money("1001.4069")!)
        #expect(flow.unexplained == Money(raw: -1))          // shown, never rounded away
        #expect(flow.lines[0].stopSlippage == Money("0.6")! && flow.lines[1].stopSlippage == nil)
        #expect(flow.stopSlippage == Money("0.6")! && flow.stopExitsWithPlan == 1)
    }

    @Test func withoutWalletsTheDifferenceIsUnknownNotZero() throws {
        let flow = try MoneyFlow.of(trades: [], fills: [], startingWallet: nil, recordedWallet: Money(units: 5))
        #expect(flow.explainedWallet == nil && flow.unexplained == nil)
    }
}
