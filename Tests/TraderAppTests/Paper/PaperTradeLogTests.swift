import Testing
import TraderApp
import TradingEngine
import TradingModel

@Suite("PaperTradeLog: the lines a trader reads for entries, level changes, exits and open positions")
struct PaperTradeLogTests {
    static let opened = Timestamp(milliseconds: 1_769_904_000_000)  // 2026-02-01T00:00:00Z

    static func long(openedAt: Timestamp = opened) -> Position {
        // 100 LINK at 10.00 with 2x leverage: notional 1000, initial margin 500.
        Position(symbol: "LINKUSDT", side: .long, quantity: Quantity(units: 100), entryPrice: Price("10")!, leverage: 2,
                 isolatedMargin: Money(units: 500), openedAt: openedAt)
    }

    @Test("entry: side, quantity, price, stop, targets, backstop; a moved stop is a level change, not a new entry")
    func entryAndLevelChange() {
        var log = PaperTradeLog()
        let view = PositionExitView(position: Self.long(), executor: "exit-executor", stopPrice: Price("9.88")!,
                                    targetPrices: [Price("10.08")!, Price("10.16")!], backstopPrice: Price("9.85")!)
        let lines = log.update(RuntimeState(time: Self.opened, trades: [], positions: [view]))
        #expect(lines.map(\.message) == ["paper.entry"])
        #expect(lines[0]["side"] == "LONG")
        #expect(lines[0]["quantity"] == "100")
        #expect(lines[0]["price"] == "10")
        #expect(lines[0]["stop"] == "9.88")
        #expect(lines[0]["targets"] == "10.08,10.16")
        #expect(lines[0]["backstop"] == "9.85")
        #expect(log.update(RuntimeState(time: Self.opened, trades: [], positions: [view])).isEmpty)
        var moved = view
        moved.stopPrice = Price("10.01")!
        moved.targetPrices = [Price("10.16")!]
        let changed = log.update(RuntimeState(time: Self.opened, trades: [], positions: [moved]))
        #expect(changed.map(\.message) == ["paper.exit_levels_changed"])
        #expect(changed[0]["stop"] == "10.01")
        #expect(PaperTradeLog.openPositions(RuntimeState(time: Self.opened, trades: [], positions: [moved])).map(\.message) == ["paper.open_position"])
    }

    @Test("a reversal: the exit line (reason, price, PnL, priceMovePct, roePct) comes before the new entry")
    func reversal() {
        var log = PaperTradeLog()
        let first = PositionExitView(position: Self.long(), executor: "fixed-bracket-exit", stopPrice: Price("9.88")!,
                                     targetPrices: [Price("10.186")!], backstopPrice: nil)
        _ = log.update(RuntimeState(time: Self.opened, trades: [], positions: [first]))
        let later = Self.opened.advanced(by: .seconds(600))
        // Long 100 from 10.00 to 10.12: gross 100 × 0.12 = 12; fees 0.4 + 0.4048 = 0.8048; net 11.1952.
        // priceMovePct = 0.12 / 10 = 1.20 %; roePct = 12 / 500 (1000 notional / 2x) = 2.40 %.
        let trade = ClosedTrade(symbol: "LINKUSDT", side: .long, quantity: Quantity(units: 100), entryTime: Self.opened, entryPrice: Price("10")!,
                                exitTime: later, exitPrice: Price("10.12")!, exitReason: .reversal, grossPnL: Money(units: 12),
                                fees: Money("0.8048")!, funding: .zero, leverage: 2)
        let short = Position(symbol: "LINKUSDT", side: .short, quantity: Quantity(units: 98), entryPrice: Price("10.12")!, leverage: 2,
                             isolatedMargin: Money("495.88")!, openedAt: later)
        let second = PositionExitView(position: short, executor: "fixed-bracket-exit", stopPrice: Price("10.24144")!,
                                      targetPrices: [Price("9.931768")!], backstopPrice: nil)
        let lines = log.update(RuntimeState(time: later, trades: [trade], positions: [second]))
        #expect(lines.map(\.message) == ["paper.exit", "paper.entry"])
        #expect(lines[0]["reason"] == "reversal")
        #expect(lines[0]["price"] == "10.12")
        #expect(lines[0]["pnl.net"] == "11.1952")
        #expect(lines[0]["price_move_pct"] == "1.20")
        #expect(lines[0]["roe_pct"] == "2.40")
        #expect(lines[1]["side"] == "SHORT")
        #expect(lines[1]["backstop"] == "none")
    }
}
