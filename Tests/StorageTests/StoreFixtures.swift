import TradingEngine
import TradingModel

/// Sample records covering every field, optional values present and absent, negative money.
enum StoreFixtures {
    static func run(_ kind: RunKind = .backtest, at milliseconds: Int64 = 1_675_209_600_000) -> RunRecord {
        RunRecord(kind: kind, startedAt: Timestamp(milliseconds: milliseconds), configHash: "sha256:abc",
                  detail: "ema-cross ATOMUSDT 2023-02")
    }

    static let entryID = ClientOrderID("qt-r1-ATOMUSDT-entry-1")!
    static let stopID = ClientOrderID("qt-r1-ATOMUSDT-stop-1")!

    static func entryOrder(runID: Int64, status: String, detail: String = "", at milliseconds: Int64) -> OrderEventRecord {
        let request = OrderRequest(clientOrderID: entryID, symbol: "ATOMUSDT", side: .sell, type: .limit,
                                   quantity: Quantity("12.5")!, price: Price("13.456")!, reduceOnly: false)
        return OrderEventRecord(runID: runID, request: request, status: status, detail: detail,
                                time: Timestamp(milliseconds: milliseconds))
    }

    /// A close-position stop: no quantity, no limit price, a trigger price.
    static func stopOrder(runID: Int64, status: String, at milliseconds: Int64) -> OrderEventRecord {
        let request = OrderRequest(clientOrderID: stopID, symbol: "ATOMUSDT", side: .buy, type: .stopMarket,
                                   quantity: nil, triggerPrice: Price("13.725")!, reduceOnly: true, closePosition: true)
        return OrderEventRecord(runID: runID, request: request, status: status, detail: "backstop",
                                time: Timestamp(milliseconds: milliseconds))
    }

    static func fill(runID: Int64, quantity: String, at milliseconds: Int64) -> FillRecord {
        FillRecord(runID: runID, fill: Fill(clientOrderID: entryID, symbol: "ATOMUSDT", side: .sell,
                                            price: Price("13.456")!, quantity: Quantity(quantity)!,
                                            fee: Money("0.00672800")!, liquidity: .maker,
                                            time: Timestamp(milliseconds: milliseconds)))
    }

    static func losingShort(runID: Int64) -> TradeRecord {
        // Short 12.5 from 13.456 to 13.725: gross (13.456 − 13.725) × 12.5 = −3.3625;
        // fees 0.067280 + 0.08578125; funding 0.01 paid → net −3.3625 − 0.15306125 − 0.01 = −3.52556125.
        TradeRecord(runID: runID, symbol: "ATOMUSDT", side: .short, quantity: Quantity("12.5")!,
                    entryTime: Timestamp(milliseconds: 1_675_209_600_000), entryPrice: Price("13.456")!,
                    exitTime: Timestamp(milliseconds: 1_675_213_200_000), exitPrice: Price("13.725")!,
                    exitReason: "stop_loss", fees: Money("0.15306125")!, funding: Money("0.01")!,
                    netPnL: Money("-3.52556125")!, leverage: 10)
    }

    static func exitState(runID: Int64, key: String, json: String, lastEvent: Int64?, at milliseconds: Int64) -> ExitStateRecord {
        ExitStateRecord(runID: runID, positionKey: key, symbol: "ATOMUSDT", executor: "tick-exit-executor",
                        stateJSON: json, lastPriceEventAt: lastEvent.map(Timestamp.init(milliseconds:)),
                        updatedAt: Timestamp(milliseconds: milliseconds))
    }

    static func rejectedDecision(runID: Int64) -> DecisionRecord {
        let signal = Signal(symbol: "ATOMUSDT", side: .short, confidence: 0.72, time: Timestamp(milliseconds: 1_675_209_600_000),
                            source: "ml-ensemble@2024-01", featureHash: "f00d")
        return DecisionRecord(runID: runID, signal: signal, approved: false,
                              reasons: ["confidenceBelowThreshold(0.72, required: 0.80)", "against trend \"up\" – 4h"],
                              quantity: nil, leverage: nil, time: Timestamp(milliseconds: 1_675_209_600_100))
    }

    static func approvedDecision(runID: Int64) -> DecisionRecord {
        let signal = Signal(symbol: "ETHUSDT", side: .long, confidence: nil, time: Timestamp(milliseconds: 1_675_213_200_000),
                            source: "ema-cross")
        return DecisionRecord(runID: runID, signal: signal, approved: true, reasons: [], quantity: Quantity("0.125")!,
                              leverage: 5, time: Timestamp(milliseconds: 1_675_213_200_050))
    }

    static func alert(runID: Int64?, kind: AlertKind, symbol: Symbol?) -> AlertRecord {
        AlertRecord(runID: runID, alert: Alert(severity: .critical, kind: kind, message: "stop not honoured at 13.725",
                                               symbol: symbol, time: Timestamp(milliseconds: 1_675_213_200_000)))
    }

    static func equity(runID: Int64, at milliseconds: Int64, equity: String, drawdown: String) -> EquitySnapshotRecord {
        EquitySnapshotRecord(runID: runID, time: Timestamp(milliseconds: milliseconds), equity: Money(equity)!,
                             walletBalance: Money("1000")!, unrealizedPnL: Money(equity)! - Money("1000")!,
                             drawdown: Money(drawdown)!)
    }

    static func riskEvent(runID: Int64?, state: String) -> RiskEventRecord {
        RiskEventRecord(runID: runID, state: state, cause: "daily_loss_limit", detail: "loss 30.5 ≥ limit 30",
                        time: Timestamp(milliseconds: 1_675_220_000_000))
    }
}
