import TradingModel

/// Orders of the executor: reduce-only closes, the backstop, stop moves and re-planning.
extension ExitExecutor {
    /// Closes everything not already being closed, at market.
    mutating func closeRemaining(reason: ExitReason, crossedAt: Timestamp, now: Timestamp, into actions: inout [ExitAction]) {
        state.phase = .closing
        state.closeReason = reason
        // Outstanding target closes now belong to the full close (they are retried under its reason).
        for index in state.pendingCloses.indices { state.pendingCloses[index].reason = reason }
        let quantity = state.unallocatedQuantity
        guard quantity.isPositive else { return }
        let purpose: OrderPurpose = switch reason {
        case .stopLoss, .breakEvenStop, .trailingStop, .profitLockStop: .stopLoss
        case .riskFlatten, .watchdog: .flatten
        default: .exit
        }
        sendClose(quantity: quantity, reason: reason, level: 0, crossedAt: crossedAt, now: now, purpose: purpose, into: &actions)
    }

    /// Emits one reduce-only MARKET close and records it as pending.
    mutating func sendClose(quantity: Quantity, reason: ExitReason, level: Int, crossedAt: Timestamp, now: Timestamp,
                            purpose: OrderPurpose, into actions: inout [ExitAction]) {
        let id = state.nextOrderID(purpose)
        state.pendingCloses.append(.init(clientOrderID: id, reason: reason, level: level, quantity: quantity, filled: .zero, attempts: 1,
                                         accepted: false, retryAt: nil, levelCrossedAt: crossedAt, sentAt: now, escalated: false))
        state.metrics.levelToOrderMilliseconds.append(now.milliseconds - crossedAt.milliseconds)
        actions.append(.submit(closeOrder(id: id, quantity: quantity)))
    }

    func closeOrder(id: ClientOrderID, quantity: Quantity) -> OrderRequest {
        OrderRequest(clientOrderID: id, symbol: state.symbol, side: state.side.exitOrderSide, type: .market, quantity: quantity,
                     reduceOnly: true)
    }

    /// Re-sends a pending close whose previous attempt was rejected or cancelled (new client id).
    mutating func retryClose(at index: Int, time: Timestamp, into actions: inout [ExitAction]) {
        var close = state.pendingCloses[index]
        let quantity = min(close.unfilled, state.openQuantity)
        guard quantity.isPositive else {
            state.pendingCloses.remove(at: index)
            return
        }
        close.clientOrderID = state.nextOrderID(close.level == 0 ? .exit : .takeProfit)
        close.quantity = close.filled + quantity
        close.attempts += 1
        close.accepted = false
        close.retryAt = nil
        close.sentAt = time
        state.pendingCloses[index] = close
        actions.append(.submit(closeOrder(id: close.clientOrderID, quantity: quantity)))
    }

    /// A close attempt failed: schedule the retry; CRITICAL alert once attempts are exhausted.
    mutating func closeFailed(at index: Int, detail: String, time: Timestamp, into actions: inout [ExitAction]) {
        state.pendingCloses[index].retryAt = time.advanced(by: settings.closeRetry.interval)
        let close = state.pendingCloses[index]
        if close.attempts >= settings.closeRetry.maxAttempts && !close.escalated {
            state.pendingCloses[index].escalated = true
            actions.append(.alert(Alert(
                severity: .critical, kind: "exit.close_failed",
                message: "\(state.symbol) \(state.side): reduce-only close (\(close.reason.rawValue), \(close.unfilled)) failed \(close.attempts) times: \(detail); still retrying every \(settings.closeRetry.interval)",
                symbol: state.symbol, time: time)))
        }
    }

    /// A close with no venue answer at all by `closeConfirmDeadline`: its outcome is unknown and
    /// it must not be re-sent blindly (the runtime resolves it by client id), so a person is told.
    mutating func unconfirmedCloseCheck(at index: Int, time: Timestamp, into actions: inout [ExitAction]) {
        let close = state.pendingCloses[index]
        guard !close.accepted, !close.escalated, close.retryAt == nil,
              time.since(close.sentAt) >= settings.closeConfirmDeadline else { return }
        state.pendingCloses[index].escalated = true
        actions.append(.alert(Alert(
            severity: .critical, kind: "exit.close_unconfirmed",
            message: "\(state.symbol) \(state.side): reduce-only close \(close.clientOrderID) (\(close.reason.rawValue), \(close.unfilled)) has no venue answer after \(time.since(close.sentAt)); query it by client id",
            symbol: state.symbol, time: time)))
    }

    // MARK: - Backstop

    /// Sends a close-position STOP_MARKET at `trigger`. `closePosition` implies reduce-only on the
    /// venue (Binance refuses `reduceOnly` together with `closePosition`), so `reduceOnly` is false.
    mutating func placeBackstop(trigger: Price, time: Timestamp, into actions: inout [ExitAction]) {
        if let stale = state.pendingBackstop {
            state.backstopsToCancel.append(stale.clientOrderID)
            actions.append(.cancel(stale.clientOrderID, symbol: state.symbol))
        }
        let id = state.nextOrderID(.backstop)
        state.backstopRetryAt = nil
        state.pendingBackstop = .init(clientOrderID: id, triggerPrice: trigger, sentAt: time, acceptedAt: nil)
        actions.append(.submit(OrderRequest(
            clientOrderID: id, symbol: state.symbol, side: state.side.exitOrderSide, type: .stopMarket, quantity: nil,
            triggerPrice: trigger, triggerSource: settings.priceSource, reduceOnly: false, closePosition: true)))
    }

    /// A backstop attempt failed (rejected, or not accepted by the deadline). Retries up to
    /// `backstopRetry.maxAttempts`, each `backstopRetry.interval` after the failure (on the timer);
    /// then fails closed: market close and a CRITICAL alert. `immediate` skips retries (the
    /// trigger is already crossed).
    mutating func backstopFailed(detail: String, immediate: Bool, time: Timestamp, into actions: inout [ExitAction]) {
        state.pendingBackstop = nil
        state.backstopAttempts += 1
        guard state.phase == .active else { return }
        if !immediate && state.backstopAttempts < settings.backstopRetry.maxAttempts {
            state.backstopRetryAt = time.advanced(by: settings.backstopRetry.interval)
            return
        }
        actions.append(.alert(Alert(
            severity: .critical, kind: "exit.backstop_failed",
            message: "\(state.symbol) \(state.side): exchange backstop at \(state.backstopPrice) could not be placed after \(state.backstopAttempts) attempt(s) (\(detail)); closing the position at market",
            symbol: state.symbol, time: time)))
        closeRemaining(reason: .riskFlatten, crossedAt: time, now: time, into: &actions)
    }

    // MARK: - Stop moves

    /// Moves the local stop (tighten only) and replaces the backstop: new one first, the old one
    /// is cancelled when the new one is accepted.
    mutating func moveStop(to target: Price, reason: ExitReason, time: Timestamp, into actions: inout [ExitAction]) {
        let tighter = state.side == .long ? target > state.stopPrice : target < state.stopPrice
        guard tighter, state.phase == .active else { return }
        state.stopMoves.append(.init(from: state.stopPrice, to: target, reason: reason, time: time))
        state.stopPrice = target
        state.stopReason = reason
        state.backstopPrice = ExitBrain.backstop(forStop: target, side: state.side, entryPrice: state.entryPrice,
                                                 buffer: settings.backstopBuffer, instrument: instrument)
        state.backstopAttempts = 0
        placeBackstop(trigger: state.backstopPrice, time: time, into: &actions)
    }

    /// Applies the configured stop adjustment after take-profit `level` has been fully closed.
    mutating func adjustStop(afterLevel level: Int, time: Timestamp, into actions: inout [ExitAction]) {
        let adjustment: ExitSettings.StopAdjustment = switch level {
        case 1: settings.stopAfterFirstTarget
        case 2: settings.stopAfterSecondTarget
        default: .keep
        }
        switch adjustment {
        case .keep:
            return
        case .breakEvenPlusFees:
            guard let raw = FastFixedPoint.checkedMoved(state.entryPrice, by: Rate(raw: state.side.sign * settings.breakEvenFeeAllowance.raw), .nearest),
                  raw.raw < Int64.max - instrument.tickSize.raw else { return }
            moveStop(to: instrument.roundStopPrice(raw, protecting: state.side), reason: .breakEvenStop, time: time, into: &actions)
        case .targetPrice(let targetLevel):
            guard let slice = state.slices.first(where: { $0.level == targetLevel }) else { return }
            moveStop(to: slice.price, reason: .profitLockStop, time: time, into: &actions)
        }
    }

    // MARK: - Size changes

    /// Redistributes `newQuantity` over the slices not sent yet, in proportion to their planned
    /// quantities (floored to the step, remainder in the last).
    mutating func replanSlices(newQuantity: Quantity) {
        let sent = state.slices[..<state.nextSliceIndex].reduce(Quantity.zero) { $0 + ($1.hit ? .zero : $1.quantity) }
        var remaining = newQuantity - sent
        if remaining.isNegative { remaining = .zero }
        let open = state.nextSliceIndex..<state.slices.count
        let planned = open.reduce(Int128(0)) { $0 + Int128(state.slices[$1].quantity.raw) }
        guard !open.isEmpty else { return }
        var allocated = Quantity.zero
        for index in open {
            if index == open.upperBound - 1 {
                state.slices[index].quantity = remaining - allocated
            } else {
                let share = planned > 0
                    ? Quantity(raw: FixedPoint.divide(Int128(remaining.raw) * Int128(state.slices[index].quantity.raw), by: planned, rounding: .down))
                    : .zero
                let floored = instrument.floorQuantity(share)
                state.slices[index].quantity = floored
                allocated += floored
            }
        }
    }

    // MARK: - Finish

    /// The position is flat: cancel every resting order of ours and report.
    mutating func finish(reason: ExitReason, time: Timestamp, into actions: inout [ExitAction]) {
        guard state.phase != .finished else { return }
        state.phase = .finished
        state.openQuantity = .zero
        state.metrics.exitReason = reason
        for backstop in [state.restingBackstop, state.pendingBackstop].compactMap({ $0 }) {
            state.backstopsToCancel.append(backstop.clientOrderID)
            actions.append(.cancel(backstop.clientOrderID, symbol: state.symbol))
        }
        state.restingBackstop = nil
        state.pendingBackstop = nil
        for close in state.pendingCloses where close.accepted && close.unfilled.isPositive {
            actions.append(.cancel(close.clientOrderID, symbol: state.symbol))
        }
        state.pendingCloses.removeAll()
        actions.append(.finished(reason: reason, time: time))
    }

    // MARK: - Timer

    /// Appends the retries and deadline actions due at `time`, then `.saveState` if there were any.
    mutating func onTimer(_ time: Timestamp, into actions: inout [ExitAction]) {
        guard state.phase == .active || state.phase == .closing else { return }
        let countBefore = actions.count
        var index = 0
        while index < state.pendingCloses.count {
            if let due = state.pendingCloses[index].retryAt, due <= time {
                let before = state.pendingCloses.count
                retryClose(at: index, time: time, into: &actions)
                if state.pendingCloses.count < before { continue }
            } else {
                unconfirmedCloseCheck(at: index, time: time, into: &actions)
            }
            index += 1
        }
        if state.phase == .active {
            if let pending = state.pendingBackstop, pending.acceptedAt == nil,
               time.since(pending.sentAt) >= settings.backstopAcceptDeadline {
                state.backstopsToCancel.append(pending.clientOrderID)
                actions.append(.cancel(pending.clientOrderID, symbol: state.symbol))
                backstopFailed(detail: "not accepted within \(settings.backstopAcceptDeadline)", immediate: false, time: time, into: &actions)
            } else if state.pendingBackstop == nil && state.restingBackstop == nil, state.backstopRetryAt.map({ $0 <= time }) ?? true {
                state.backstopRetryAt = nil
                placeBackstop(trigger: state.backstopPrice, time: time, into: &actions)
            }
        }
        if actions.count > countBefore { actions.append(.saveState(snapshot)) }
    }
}
