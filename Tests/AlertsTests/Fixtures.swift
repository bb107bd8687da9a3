import Alerts
import TradingEngine
import TradingModel

/// The old bot's losing trade: ATOMUSDT SHORT 446.03 @ 2.224 at 2x (isolated margin = notional / 2),
/// stop 1.20% above entry.
enum ATOM {
    static let start = Timestamp(milliseconds: 1_767_571_200_000)
    static func time(_ seconds: Int64) -> Timestamp { start.advanced(by: .seconds(seconds)) }
    static let quantity = Quantity("446.03")!
    static let entry = Price("2.224")!
    /// 2.224 × 1.012 = 2.250688.
    static let stop = Price("2.250688")!
    static let backstop = Price("2.256")!

    static var position: Position {
        // Margin = 446.03 × 2.224 / 2 = 991.97072 / 2 = 495.98536.
        Position(symbol: "ATOMUSDT", side: .short, quantity: quantity, entryPrice: entry, leverage: 2,
                 isolatedMargin: Money("495.98536")!, openedAt: start)
    }

    static func monitored(price: String?, at seconds: Int64 = 0, closing: Bool = false, backstop: Price? = ATOM.backstop,
                          lastPriceEventAt: Timestamp? = nil) -> MonitoredPosition {
        MonitoredPosition(position: position, price: price.map { Price($0)! }, priceTime: time(seconds), stopPrice: stop,
                          targetPrices: [Price("2.20176")!], backstopPrice: backstop, executor: "tick-exit-executor", reportsStatus: true,
                          closing: closing, lastPriceEventAt: lastPriceEventAt ?? time(seconds))
    }

    static func snapshot(_ positions: [MonitoredPosition], at seconds: Int64, wallet: Money = Money(units: 10_000),
                         trades: [ClosedTrade] = [], risk: RiskState? = .active) -> MonitorSnapshot {
        MonitorSnapshot(time: time(seconds), positions: positions, trades: trades, walletBalance: wallet, riskState: risk,
                        symbols: ["ATOMUSDT"], lastMarketEventAt: ["ATOMUSDT": time(seconds)])
    }
}
