import TradingModel

extension BinanceOrderEncoder {
    /// A protective order (reduce-only or close-position) whose prices or quantity are off the
    /// instrument's current grid, because the venue changed its tick or step after the order
    /// was planned, moved onto it toward the side that keeps the position protected: a stop's
    /// trigger toward the market (it fires sooner), a take-profit's trigger away from the
    /// market (it never promises more), a quantity down (a reduce-only order never grows a
    /// position). Orders already on the grid and entries are returned unchanged (an entry off
    /// the grid is refused: sizing is the engine's decision).
    public static func ontoGrid(_ order: OrderRequest, instrument: Instrument) -> OrderRequest {
        guard order.reduceOnly || order.closePosition, order.symbol == instrument.symbol else { return order }
        var adjusted = order
        // The position this order protects: a SELL closes a long, a BUY a short.
        let protected: Side = order.side == .sell ? .long : .short
        if let trigger = order.triggerPrice, !onGrid(trigger, instrument) {
            adjusted.triggerPrice = order.type == .takeProfitMarket ? instrument.roundTargetPrice(trigger, for: protected)
                : instrument.roundStopPrice(trigger, protecting: protected)
        }
        if let price = order.price, !onGrid(price, instrument) { adjusted.price = instrument.roundPrice(price, .nearest) }
        if let quantity = order.quantity {
            let step = order.type == .limit ? instrument.stepSize : instrument.marketStepSize
            if !quantity.isMultiple(of: step) {
                let floored = quantity.rounded(toMultipleOf: step, .down)
                if floored.isPositive { adjusted.quantity = floored }
            }
        }
        return adjusted
    }

    static func onGrid(_ price: Price, _ instrument: Instrument) -> Bool {
        price.isPositive && (price - instrument.minPrice).isMultiple(of: instrument.tickSize)
    }
}
