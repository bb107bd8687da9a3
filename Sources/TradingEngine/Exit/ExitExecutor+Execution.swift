import TradingModel

/// Venue reports: acceptances, rejections, fills, cancels, triggers, outside changes.
extension ExitExecutor {
    /// Appends the actions for a venue report (nothing for a report of another order).
    mutating func onExecution(_ event: ExecutionEvent, into actions: inout [ExitAction]) {
        guard event.symbol == state.symbol, state.phase != .finished else { return }
        switch event {
        case .accepted(let id, _, _, let time):
            if let index = state.pendingCloses.firstIndex(where: { $0.clientOrderID == id }) {
                state.pendingCloses[index].accepted = true
            } else if var pending = state.pendingBackstop, pending.clientOrderID == id {
                pending.acceptedAt = time
                if let old = state.restingBackstop {
                    state.backstopsToCancel.append(old.clientOrderID)
                    actions.append(.cancel(old.clientOrderID, symbol: state.symbol))
                }
                state.restingBackstop = pending
                state.pendingBackstop = nil
                state.backstopAttempts = 0
            } else {
                return
            }

        case .rejected(let id, _, let rejection, let time):
            if let index = state.pendingCloses.firstIndex(where: { $0.clientOrderID == id }) {
                closeFailed(at: index, detail: rejection.description, time: time, into: &actions)
            } else if let pending = state.pendingBackstop, pending.clientOrderID == id {
                backstopFailed(detail: rejection.description, immediate: rejection.reason == .wouldImmediatelyTrigger, time: time, into: &actions)
            } else {
                return
            }

        case .canceled(let id, _, let time):
            if let index = state.backstopsToCancel.firstIndex(of: id) {
                state.backstopsToCancel.remove(at: index)
            } else if let index = state.pendingCloses.firstIndex(where: { $0.clientOrderID == id }) {
                // A market close left the book with a remainder (expired/cancelled): retry it.
                state.pendingCloses[index].retryAt = time
                retryClose(at: index, time: time, into: &actions)
            } else if state.restingBackstop?.clientOrderID == id || state.pendingBackstop?.clientOrderID == id {
                // Cancelled by someone else: the position is unprotected on the venue. Re-place now.
                state.restingBackstop = state.restingBackstop?.clientOrderID == id ? nil : state.restingBackstop
                state.pendingBackstop = state.pendingBackstop?.clientOrderID == id ? nil : state.pendingBackstop
                actions.append(.alert(Alert(severity: .warning, kind: "exit.backstop_cancelled",
                                            message: "\(state.symbol): backstop \(id) was cancelled outside the exit engine; placing a new one",
                                            symbol: state.symbol, time: time)))
                if state.phase == .active { placeBackstop(trigger: state.backstopPrice, time: time, into: &actions) }
            } else {
                return
            }

        case .triggered(let id, _, _):
            guard state.restingBackstop?.clientOrderID == id || state.pendingBackstop?.clientOrderID == id else { return }
            state.phase = .closing
            state.closeReason = .backstop

        case .filled(let fill):
            applyFill(fill, into: &actions)

        case .positionChanged(_, let signed, let time):
            positionChanged(signedQuantity: signed, time: time, into: &actions)

        case .liquidated(_, let price, let quantity, let time):
            let closed = min(quantity, state.openQuantity)
            state.openQuantity -= closed
            state.metrics.record(reason: .liquidation, quantity: closed, price: price, fee: .zero, side: state.side, entryPrice: state.entryPrice, time: time)
            actions.append(.sliceClosed(reason: .liquidation, quantity: closed, price: price, time: time))
            actions.append(.alert(Alert(severity: .critical, kind: "exit.liquidated",
                                        message: "\(state.symbol) \(state.side): \(closed) liquidated at \(price) although the stop was \(state.stopPrice)",
                                        symbol: state.symbol, time: time)))
            if !state.openQuantity.isPositive { finish(reason: .liquidation, time: time, into: &actions) }

        case .fundingPaid(_, let amount, _, _):
            state.metrics.funding += amount
        }
        actions.append(.saveState(snapshot))
    }

    /// A fill of one of our closes, of the backstop, or of something we did not send.
    private mutating func applyFill(_ fill: Fill, into actions: inout [ExitAction]) {
        let quantity = min(fill.quantity, state.openQuantity)
        let reason: ExitReason
        var completedLevel: Int?
        if let index = state.pendingCloses.firstIndex(where: { $0.clientOrderID == fill.clientOrderID }) {
            reason = state.pendingCloses[index].reason
            state.pendingCloses[index].filled += fill.quantity
            state.pendingCloses[index].accepted = true
            if !state.pendingCloses[index].unfilled.isPositive {
                let level = state.pendingCloses[index].level
                state.pendingCloses.remove(at: index)
                if level > 0 { completedLevel = level }
            }
        } else if state.restingBackstop?.clientOrderID == fill.clientOrderID || state.pendingBackstop?.clientOrderID == fill.clientOrderID
                    || state.backstopsToCancel.contains(fill.clientOrderID) {
            reason = .backstop
            state.phase = .closing
            state.closeReason = .backstop
            // The backstop is executing: it must not be cancelled as a resting order when flat.
            if state.restingBackstop?.clientOrderID == fill.clientOrderID { state.restingBackstop = nil }
            if state.pendingBackstop?.clientOrderID == fill.clientOrderID { state.pendingBackstop = nil }
        } else if fill.side == state.side.exitOrderSide {
            reason = .external
        } else {
            // A later partial fill of the entry order: the position grew. The close-position
            // backstop covers it as is; the open slices are re-planned over the new size.
            state.openQuantity += fill.quantity
            state.metrics.initialQuantity += fill.quantity
            replanSlices(newQuantity: state.openQuantity)
            return
        }
        state.openQuantity -= quantity
        state.metrics.record(reason: reason, quantity: quantity, price: fill.price, fee: fill.fee, side: state.side, entryPrice: state.entryPrice, time: fill.time)
        if reason == .takeProfit1 || reason == .takeProfit2 || reason == .takeProfit3 || reason == .takeProfit {
            state.metrics.harvestedQuantity += quantity
        }
        actions.append(.sliceClosed(reason: reason, quantity: quantity, price: fill.price, time: fill.time))
        if !state.openQuantity.isPositive {
            if let level = completedLevel { markHit(level: level) }
            finish(reason: state.closeReason ?? reason, time: fill.time, into: &actions)
            return
        }
        if let level = completedLevel {
            markHit(level: level)
            adjustStop(afterLevel: level, time: fill.time, into: &actions)
        }
    }

    private mutating func markHit(level: Int) {
        if let index = state.slices.firstIndex(where: { $0.level == level }) { state.slices[index].hit = true }
        state.metrics.targetsHit.append(level)
    }

    /// The venue's position changed outside our fills: flat → finish; otherwise re-plan.
    private mutating func positionChanged(signedQuantity: Quantity, time: Timestamp, into actions: inout [ExitAction]) {
        let sameSide = state.side == .long ? signedQuantity.isPositive : signedQuantity.isNegative
        let quantity = signedQuantity.magnitude
        if quantity.isZero {
            let closed = state.openQuantity
            state.openQuantity = .zero
            if state.closeReason == nil { state.closeReason = .external }
            actions.append(.alert(Alert(severity: .warning, kind: "exit.position_closed_outside",
                                        message: "\(state.symbol) \(state.side): position closed outside the bot (\(closed) was open)",
                                        symbol: state.symbol, time: time)))
            finish(reason: state.closeReason ?? .external, time: time, into: &actions)
        } else if !sameSide {
            actions.append(.alert(Alert(severity: .critical, kind: "exit.position_flipped",
                                        message: "\(state.symbol): position flipped outside the bot to \(signedQuantity); this executor stops owning it",
                                        symbol: state.symbol, time: time)))
            finish(reason: .external, time: time, into: &actions)
        } else if quantity != state.openQuantity {
            state.openQuantity = quantity
            replanSlices(newQuantity: quantity)
            actions.append(.alert(Alert(severity: .warning, kind: "exit.position_resized",
                                        message: "\(state.symbol) \(state.side): size changed outside the bot to \(quantity); remaining slices re-planned",
                                        symbol: state.symbol, time: time)))
        }
    }
}
