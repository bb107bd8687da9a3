import Testing
import TradingEngine
import TradingModel

/// The post-mortem's position, computed the one way: a SHORT of 100 ATOM at 2.224 with 2x
/// leverage (initial margin 222.4 / 2 = 111.2 USDT), marked at 2.2616.
@Suite struct PositionFiguresTests {
    static let position = Position(symbol: TestInstrument.symbol, side: .short, quantity: 100, entryPrice: Price("2.224")!, leverage: 2,
                                   isolatedMargin: Money("111.2")!, openedAt: Timestamp(milliseconds: 0))

    @Test func priceMoveIsWhatTheMarketDidForThePosition() {
        let figures = PositionFigures.of(Self.position, at: Price("2.2616")!)
        // −(2.2616 − 2.224) / 2.224 = −0.0376 / 2.224 = −0.0169064748… → −1.69064748%
        #expect(abs(figures.returns.priceMovePct - -1.6906474820143884) < 1e-9)
    }

    @Test func pnlIsQuantityTimesMoveNotNotionalTimesROE() {
        let figures = PositionFigures.of(Self.position, at: Price("2.2616")!)
        // −100 × (2.2616 − 2.224) = −3.76 USDT
        #expect(figures.unrealizedPnL == Money("-3.76")!)
        // the post-mortem's arithmetic: entry notional 222.4 × ROE −3.38129496% = −7.52: twice the real loss
        #expect(figures.unrealizedPnL != Money("-7.52")!)
        #expect(figures.notional == Money("226.16")!)     // 100 × 2.2616 at the mark
    }

    @Test func roeIsPnLOverInitialMarginAboutLeverageTimesTheMove() {
        let figures = PositionFigures.of(Self.position, at: Price("2.2616")!)
        // −3.76 / 111.2 = −0.0338129496… → −3.38129496% (= 2 × −1.69064748%: margin is notional / 2)
        #expect(abs(figures.returns.roePct! - -3.381294964028777) < 1e-9)
    }

    @Test func liquidationPriceFromTheInstrumentsTier() {
        let figures = PositionFigures.of(Self.position, at: Price("2.2616")!, instrument: TestInstrument.instrument)
        // short: LP = (WB + cum + size × EP) / (size × MMR + size) = (111.2 + 0 + 222.4) / (100 × 0.01 + 100)
        //        = 333.6 / 101 = 3.302970297… → down → 3.30297029
        #expect(figures.liquidationPrice == Price("3.30297029")!)
        let given = PositionFigures.of(Self.position, at: Price("2.2616")!, liquidationPrice: Price("3.3")!, instrument: TestInstrument.instrument)
        #expect(given.liquidationPrice == Price("3.3")!)
    }

    @Test func aLongAt1xCannotBeLiquidated() {
        let long = Position(symbol: TestInstrument.symbol, side: .long, quantity: 1, entryPrice: 100, leverage: 1, isolatedMargin: 100,
                            openedAt: Timestamp(milliseconds: 0))
        // LP = (100 + 0 − 100) / (1 × 0.01 − 1) = 0 → none
        #expect(PositionFigures.of(long, at: 90, instrument: TestInstrument.instrument).liquidationPrice == nil)
        // +1 × (90 − 100) = −10 USDT; ROE −10 / 100 = −10%; move −10%
        let figures = PositionFigures.of(long, at: 90)
        #expect(figures.unrealizedPnL == Money(units: -10))
        #expect(figures.returns.roePct == -10 && figures.returns.priceMovePct == -10)
    }
}
