import Testing
import TradingEngine
import TradingModel

/// Entry fills against the price each signal was judged at, with the arithmetic written out.
@Suite struct EntrySlippageTests {
    static func trade(_ run: Int64, _ symbol: Symbol, _ side: Side, entry: String, quantity: String, at minute: Int64) -> TradeRecord {
        TradeRecord(runID: run, symbol: symbol, side: side, quantity: Quantity(quantity)!, entryTime: Timestamp(milliseconds: minute * 60_000),
                    entryPrice: Price(entry)!, exitTime: Timestamp(milliseconds: (minute + 30) * 60_000), exitPrice: Price(entry)!,
                    exitReason: "take_profit", fees: .zero, funding: .zero, netPnL: .zero, leverage: 2)
    }

    static func approved(_ run: Int64, _ symbol: Symbol, _ side: Side, reference: String?, at minute: Int64, approved: Bool = true) -> DecisionRecord {
        DecisionRecord(runID: run, signal: Signal(symbol: symbol, side: side, confidence: 0.8, time: Timestamp(milliseconds: minute * 60_000), source: "t"),
                       approved: approved, reasons: [], quantity: nil, leverage: nil, time: Timestamp(milliseconds: minute * 60_000),
                       referencePrice: reference.flatMap { Price($0) })
    }

    @Test func eachEntryIsMeasuredAgainstItsOwnSignal() throws {
        let trades = [
            // LONG 10 BTC judged at 100 000, filled 100 012.5: +12.5 × 10 = 125 USDT worse; 12.5 / 100 000 = 1.25 bps
            Self.trade(1, "BTCUSDT", .long, entry: "100012.5", quantity: "10", at: 10),
            // SHORT 449.64 ATOM judged at 2.224, filled 2.221: −1 × (2.221 − 2.224) × 449.64 = +1.34892 worse; 0.003 / 2.224 = 13.489 bps
            Self.trade(1, "ATOMUSDT", .short, entry: "2.221", quantity: "449.64", at: 20),
            // SHORT filled above its 2.3 signal: −1 × (2.3023 − 2.3) × 100 = −0.23 (better); −10 bps
            Self.trade(1, "ATOMUSDT", .short, entry: "2.3023", quantity: "100", at: 90),
            // no approved decision of this run: unmeasured
            Self.trade(2, "ATOMUSDT", .short, entry: "2.3", quantity: "1", at: 95),
        ]
        let decisions = [
            Self.approved(1, "BTCUSDT", .long, reference: "100000", at: 10),
            Self.approved(1, "ATOMUSDT", .short, reference: "2.224", at: 19),
            // a rejected signal in between is not the entry's signal
            Self.approved(1, "ATOMUSDT", .short, reference: nil, at: 85, approved: false),
            Self.approved(1, "ATOMUSDT", .short, reference: "2.3", at: 89),
            // after the entry: not its signal
            Self.approved(1, "BTCUSDT", .long, reference: "1", at: 11),
        ]
        let slippage = try EntrySlippage.of(trades: trades, decisions: decisions)
        #expect(slippage.perTrade.map { $0?.cost } == [Money("125")!, Money("1.34892")!, Money("-0.23")!, nil])
        #expect(slippage.perTrade.map { $0?.referencePrice } == [Price("100000")!, Price("2.224")!, Price("2.3")!, nil])
        // 125 + 1.34892 − 0.23 = 126.11892
        #expect(slippage.total == Money("126.11892")! && slippage.measured == 3 && slippage.unmeasured == 1)
        #expect(abs(slippage.perTrade[0]!.costBps - 1.25) < 1e-9)
        #expect(abs(slippage.perTrade[1]!.costBps - 0.003 / 2.224 * 10_000) < 1e-9)
        #expect(abs(slippage.perTrade[2]!.costBps - -10) < 1e-9)
        #expect(abs(slippage.meanBps! - (1.25 + 0.003 / 2.224 * 10_000 - 10) / 3) < 1e-9)
    }

    @Test func aDecisionWithoutAReferencePriceIsUnmeasuredNotZero() throws {
        let slippage = try EntrySlippage.of(trades: [Self.trade(1, "ATOMUSDT", .long, entry: "2.5", quantity: "1", at: 5)],
                                            decisions: [Self.approved(1, "ATOMUSDT", .long, reference: nil, at: 5)])
        #expect(slippage.perTrade == [nil] && slippage.measured == 0 && slippage.unmeasured == 1 && slippage.meanBps == nil && slippage.total == .zero)
    }

    @Test func theMoneyFlowCarriesEachTradesEntrySlippage() throws {
        let trades = [Self.trade(1, "ATOMUSDT", .short, entry: "2.221", quantity: "449.64", at: 20)]
        let flow = try MoneyFlow.of(trades: trades, fills: [], startingWallet: nil, recordedWallet: nil,
                                    decisions: [Self.approved(1, "ATOMUSDT", .short, reference: "2.224", at: 19)])
        #expect(flow.lines.first?.entrySlippage?.cost == Money("1.34892")!)
        #expect(flow.entrySlippage.total == Money("1.34892")!)
    }
}
