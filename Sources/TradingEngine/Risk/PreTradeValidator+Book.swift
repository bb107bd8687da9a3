import TradingModel

/// Book limits, sizing, the exit plan, directional exposure and the final safety invariants.
extension PreTradeValidator {
    func checkBookAndSize(_ signal: Signal, context: EntryContext, into report: inout ValidationReport) {
        let book = settings.book
        if book.isEnabled {
            if context.openPositions.count >= book.maximumOpenPositions {
                report.reasons.append(.maxOpenPositions(open: context.openPositions.count, limit: book.maximumOpenPositions))
            }
            if !book.allowAddingToOpenPosition, let open = context.openPositions.first(where: { $0.symbol == signal.symbol }) {
                report.reasons.append(.positionAlreadyOpen(open.symbol, open.side))
            }
        }
        // Open notionals at current prices; an open position without a price fails closed.
        var symbolOpen = Money.zero
        var totalOpen = Money.zero
        var signedOpen = Money.zero
        var pricesKnown = true
        for position in context.openPositions {
            guard let price = context.prices[position.symbol] ?? (position.symbol == signal.symbol ? context.price : nil) else {
                report.reasons.append(.checkUnavailable(.notionalCaps, "no price for open position \(position.symbol)"))
                pricesKnown = false
                continue
            }
            // Prices from data: a notional beyond any cap saturates (and then fails the caps).
            let notional = Money(raw: min(FixedPoint.saturatingMultiplyDivide(price.raw, position.quantity.raw, FixedPoint.scale, rounding: .up),
                                          Int64.max / 4))
            totalOpen = totalOpen.addingSaturated(notional)
            signedOpen = signedOpen.addingSaturated(notional * position.side.sign)
            if position.symbol == signal.symbol { symbolOpen = symbolOpen.addingSaturated(notional) }
        }
        guard pricesKnown else { return }
        var headroom = PositionSizer.unlimitedNotional
        let symbolCap = book.maximumSymbolNotional.amount(equity: context.equity)
        let totalCap = book.maximumTotalNotional.amount(equity: context.equity)
        if book.isEnabled {
            if symbolOpen >= symbolCap { report.reasons.append(.symbolNotionalCap(current: symbolOpen, cap: symbolCap)) }
            if totalOpen >= totalCap { report.reasons.append(.totalNotionalCap(current: totalOpen, cap: totalCap)) }
            headroom = min(symbolCap - symbolOpen, totalCap - totalOpen)
            guard headroom.isPositive else { return }
        }
        guard let (size, plan) = sizeAndPlan(signal, context: context, headroom: headroom, into: &report) else { return }
        report.size = size
        report.plan = plan

        let exposure = settings.directionalExposure
        if exposure.isEnabled && context.openPositions.count + 1 >= exposure.minimumPositions {
            let gross = totalOpen + size.notional
            let net = signedOpen + size.notional * signal.side.sign
            let share = net.magnitude.doubleValue / gross.doubleValue
            if share > exposure.limit { report.reasons.append(.directionalExposure(netShare: share, limit: exposure.limit)) }
        }
        report.reasons += invariantViolations(size: size, plan: plan, signal: signal, context: context,
                                              symbolOpen: symbolOpen, totalOpen: totalOpen, symbolCap: symbolCap, totalCap: totalCap)
    }

    /// Plan → size → plan until the stop the size was computed for is not tighter than the
    /// plan's stop (the plan's stop may depend on leverage, and leverage on size).
    private func sizeAndPlan(_ signal: Signal, context: EntryContext, headroom: Money,
                             into report: inout ValidationReport) -> (PositionSize, ExitPlan)?
    {
        let sizer = PositionSizer(settings: settings.sizing)
        var multiplier = Rate(units: 1)
        for adjustment in report.adjustments { multiplier = multiplier.timesRate(adjustment.multiplier) }
        var current: PositionSize
        switch sizer.largestSize(price: context.price, equity: context.equity, availableMargin: context.availableMargin,
                                 instrument: context.instrument, notionalHeadroom: headroom) {
        case .failure(let reason): report.reasons.append(reason); return nil
        case .success(let largest): current = largest
        }
        var sizedFor: Rate?
        for _ in 0..<max(1, settings.sizing.planningRounds) {
            let plan: ExitPlan
            switch planner.plan(symbol: signal.symbol, side: signal.side, entryPrice: context.price, quantity: current.quantity,
                                leverage: current.leverage, instrument: context.instrument) {
            case .failure(let rejection): report.reasons.append(.exitPlanRejected(rejection.message)); return nil
            case .success(let made): plan = made
            }
            guard plan.symbol == signal.symbol, plan.side == signal.side, plan.quantity == current.quantity,
                  plan.leverage == current.leverage, plan.entryPrice == context.price
            else {
                report.reasons.append(.exitPlanRejected("plan \(plan.symbol) \(plan.side) \(plan.quantity) @ \(plan.entryPrice) ×\(plan.leverage) does not match the requested \(current.quantity) @ \(context.price) ×\(current.leverage)"))
                return nil
            }
            // The stop as actually placed: the larger of the stated and the measured move.
            let measured = (plan.stopPrice - plan.entryPrice).magnitude
            let measuredMove = Rate(raw: FixedPoint.multiplyDivide(measured.raw, FixedPoint.scale, plan.entryPrice.raw, rounding: .up))
            let stopMove = max(plan.stopMove, measuredMove)
            if let used = sizedFor, stopMove <= used { return (current, plan) }
            switch sizer.size(price: context.price, stopMove: stopMove, equity: context.equity, availableMargin: context.availableMargin,
                              instrument: context.instrument, sizeMultiplier: multiplier, notionalHeadroom: headroom) {
            case .failure(let reason): report.reasons.append(reason); return nil
            case .success(let sized): current = sized
            }
            sizedFor = stopMove
        }
        report.reasons.append(.exitPlanRejected("the stop did not settle within \(settings.sizing.planningRounds) planning rounds"))
        return nil
    }

    /// Safety invariants of an approved size and plan, checked again after sizing (defence in
    /// depth: a bug in sizing or planning must reject, not trade).
    private func invariantViolations(size: PositionSize, plan: ExitPlan, signal: Signal, context: EntryContext,
                                     symbolOpen: Money, totalOpen: Money, symbolCap: Money, totalCap: Money) -> [RejectionReason]
    {
        var reasons: [RejectionReason] = []
        let entry = plan.entryPrice
        let distance = Double(signal.side.sign) * Double(plan.stopPrice.raw - plan.liquidationPrice.raw) / Double(entry.raw)
        let required = settings.minimumStopLiquidationDistance.doubleValue
        // Long: (stop − liquidation) / entry; short: (liquidation − stop) / entry. ≤ 0: stop beyond liquidation.
        if distance <= 0 || distance < required {
            reasons.append(.stopTooCloseToLiquidation(stop: plan.stopPrice, liquidation: plan.liquidationPrice, distance: distance, required: required))
        }
        let leverageCap = min(settings.sizing.maximumLeverage, context.instrument.maxLeverage(forNotional: size.notional))
        if size.leverage < 1 || size.leverage > leverageCap { reasons.append(.leverageCap(size.leverage, cap: leverageCap)) }
        let notionalDown = entry.notional(size.quantity, .down)
        if notionalDown < context.instrument.minNotional || size.quantity < context.instrument.marketMinQuantity {
            reasons.append(.belowMinNotional(notionalDown, minimum: context.instrument.minNotional))
        }
        if settings.book.isEnabled {
            if symbolOpen + size.notional > symbolCap { reasons.append(.symbolNotionalCap(current: symbolOpen + size.notional, cap: symbolCap)) }
            if totalOpen + size.notional > totalCap { reasons.append(.totalNotionalCap(current: totalOpen + size.notional, cap: totalCap)) }
        }
        if size.margin > context.availableMargin { reasons.append(.insufficientMargin(available: context.availableMargin)) }
        return reasons
    }
}

extension Rate {
    /// `self × other` for two fractions, rounded down.
    func timesRate(_ other: Rate) -> Rate {
        Rate(raw: FixedPoint.multiplyDivide(raw, other.raw, FixedPoint.scale, rounding: .down))
    }
}
