import TradingEngine
import TradingModel

/// Instruments, plans and event helpers for the exit-engine tests.
enum ExitFixtures {
    /// ATOMUSDT-like: tick 0.001, step 0.01, min notional 5, Binance-like tiers.
    static let atom = Instrument(
        symbol: "ATOMUSDT", baseAsset: "ATOM", tickSize: Price("0.001")!, stepSize: Quantity("0.01")!,
        minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 5),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 5_000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
            MarginBracket(notionalFloor: Money(units: 5_000), notionalCap: Money(units: 25_000), maintenanceMarginRate: Rate("0.025")!, maintenanceAmount: Money(units: 75), maxLeverage: 20),
            MarginBracket(notionalFloor: Money(units: 25_000), notionalCap: Money(units: 100_000), maintenanceMarginRate: Rate("0.05")!, maintenanceAmount: Money(units: 700), maxLeverage: 10),
        ])

    /// LINKUSDT-like: tick 0.001, step 0.01, min notional 5.
    static let link = Instrument(
        symbol: "LINKUSDT", baseAsset: "LINK", tickSize: Price("0.001")!, stepSize: Quantity("0.01")!,
        minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 5),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 10_000), maintenanceMarginRate: Rate("0.01")!, maintenanceAmount: .zero, maxLeverage: 50),
        ])

    /// BTCUSDT-like: tick 0.1, step 0.001, min notional 100, first tier mmr 0.4% up to 125x.
    static let btc = Instrument(
        symbol: "BTCUSDT", baseAsset: "BTC", tickSize: Price("0.1")!, stepSize: Quantity("0.001")!,
        minQuantity: Quantity("0.001")!, maxQuantity: Quantity(units: 1_000), minNotional: Money(units: 100),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 50_000), maintenanceMarginRate: Rate("0.004")!, maintenanceAmount: .zero, maxLeverage: 125),
        ])

    /// SOLUSDT-like with round numbers for hand arithmetic: tick 0.01, step 0.01, mmr 0.5%.
    static let sol = Instrument(
        symbol: "SOLUSDT", baseAsset: "SOL", tickSize: Price("0.01")!, stepSize: Quantity("0.01")!,
        minQuantity: Quantity("0.01")!, maxQuantity: Quantity(units: 100_000), minNotional: Money(units: 5),
        marginBrackets: [
            MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 50_000), maintenanceMarginRate: Rate("0.005")!, maintenanceAmount: .zero, maxLeverage: 75),
        ])

    static let start = Timestamp(milliseconds: 1_700_000_000_000)

    static func time(_ seconds: Double) -> Timestamp {
        Timestamp(milliseconds: start.milliseconds + Int64(seconds * 1000))
    }

    static func brain(_ settings: ExitSettings = ExitSettings()) -> ExitBrain {
        do { return try ExitBrain(settings: settings) } catch { fatalError("\(error)") }
    }

    static func plan(_ instrument: Instrument, _ side: Side, entry: String, quantity: String, leverage: Int,
                     settings: ExitSettings = ExitSettings()) -> ExitPlan {
        let result = brain(settings).plan(symbol: instrument.symbol, side: side, entryPrice: Price(entry)!, quantity: Quantity(quantity)!,
                                          leverage: leverage, instrument: instrument)
        switch result {
        case .success(let plan): return plan
        case .failure(let rejection): fatalError("plan rejected: \(rejection)")
        }
    }

    /// An executor for `plan`, created at the entry fill (not started).
    static func executor(_ plan: ExitPlan, _ instrument: Instrument, settings: ExitSettings = ExitSettings()) -> ExitExecutor {
        let position = Position(symbol: plan.symbol, side: plan.side, quantity: plan.quantity, entryPrice: plan.entryPrice,
                                leverage: plan.leverage, isolatedMargin: plan.entryPrice.notional(plan.quantity, .nearest).divided(by: Int64(plan.leverage), .down),
                                openedAt: start)
        return ExitExecutor(plan: plan, position: position, instrument: instrument, settings: settings,
                            positionKey: "\(plan.symbol)-1", orderIDs: ClientOrderIDGenerator(runTag: "t"))
    }

    static func price(_ symbol: Symbol, _ text: String, at seconds: Double, source: PriceEvent.Source = .markPrice) -> ExitEvent {
        .price(PriceEvent(symbol: symbol, price: Price(text)!, source: source, eventTime: time(seconds), receiveTime: time(seconds)))
    }

    static func accepted(_ id: ClientOrderID, _ symbol: Symbol, at seconds: Double) -> ExitEvent {
        .execution(.accepted(id, symbol: symbol, venueOrderID: nil, time: time(seconds)))
    }

    static func rejected(_ id: ClientOrderID, _ symbol: Symbol, at seconds: Double, _ reason: OrderRejection.Reason = .other) -> ExitEvent {
        .execution(.rejected(id, symbol: symbol, OrderRejection(reason, message: "test rejection"), time: time(seconds)))
    }

    /// A taker fill with a 0.05% fee on its notional (rounded half up to 1e-8).
    static func fill(_ id: ClientOrderID, _ symbol: Symbol, _ side: OrderSide, price: String, quantity: String, at seconds: Double) -> ExitEvent {
        let price = Price(price)!
        let quantity = Quantity(quantity)!
        let fee = price.notional(quantity, .nearest).times(Rate("0.0005")!, .nearest)
        return .execution(.filled(Fill(clientOrderID: id, symbol: symbol, side: side, price: price, quantity: quantity, fee: fee,
                                       liquidity: .taker, time: time(seconds))))
    }
}

extension [ExitAction] {
    var submitted: [OrderRequest] { compactMap { if case .submit(let order) = $0 { order } else { nil } } }
    var cancelled: [ClientOrderID] { compactMap { if case .cancel(let id, _) = $0 { id } else { nil } } }
    var alerts: [Alert] { compactMap { if case .alert(let alert) = $0 { alert } else { nil } } }
    var saves: Int { filter { if case .saveState = $0 { true } else { false } }.count }
    var finishedReason: ExitReason? { lazy.compactMap { if case .finished(let reason, _) = $0 { reason } else { nil } }.first }
    var closedSlices: [(reason: ExitReason, quantity: Quantity, price: Price)] {
        compactMap { if case .sliceClosed(let reason, let quantity, let price, _) = $0 { (reason, quantity, price) } else { nil } }
    }
}
