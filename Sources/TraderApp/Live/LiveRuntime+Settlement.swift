import TradingEngine
import TradingModel

/// Reconciliation's first repair: the booked positions brought to the venue's. Binance does not
/// replay user-data events lost in a disconnect, so after any gap a position may have changed at
/// the venue without a report (a backstop that fired, a target filled, a manual close). The
/// missing executions are booked from the venue's trade history as fills (so the trade closes with
/// its real prices, fees and reason, and the daily-loss limit counts it); what the history cannot
/// explain is booked at the last price, with an alert. Then the wallet is re-read.
extension LiveRuntime {
    /// For every traded symbol the bot holds a position in: venue flat → the owner finishes and
    /// the trade is booked; sizes differ → the owner is resized through the booked fills.
    /// A symbol the bot holds nothing in but has its own entry in flight for, while the venue
    /// holds a position: the entry filled and its report was lost (a user-data gap); its
    /// executions are booked from the trade history under the entry's id, so the position gets
    /// its owner with the real price and fee (not adopted as a stranger's).
    func settlePositions(_ venue: VenueState) async {
        for index in kernel.instruments.indices {
            let symbol = kernel.instruments[index].symbol
            let booked = bookedQuantity(symbolIndex: index)
            let remote = venue.positions.first { $0.symbol == symbol }?.signedQuantity ?? .zero
            if booked.isZero, !remote.isZero, let entry = kernel.pendingEntry(symbolIndex: index) {
                await bookLostEntryFills(symbolIndex: index, entry: entry, venueQuantity: remote)
                continue
            }
            guard !booked.isZero, booked != remote, let position = kernel.portfolio.position(index) else { continue }
            raise(Alert(severity: .warning, kind: "reconcile.position_diverged",
                        message: "\(symbol): booked \(booked), the venue holds \(remote); booking the venue's executions since \(position.openedAt)",
                        symbol: symbol, time: now))
            await bookVenueFills(symbolIndex: index, since: position.openedAt)
            let after = bookedQuantity(symbolIndex: index)
            guard after != remote, !after.isZero else { continue }
            // What the trade history did not explain (unreadable, or older than the position).
            let difference = remote - after
            let price = kernel.symbols[index].lastPrice.isPositive ? kernel.symbols[index].lastPrice : position.entryPrice
            sync.syntheticIDs += 1
            let id = ClientOrderID("qt-\(settings.runTag)-rs\(sync.syntheticIDs)-ex")!
            let fill = Fill(clientOrderID: id, symbol: symbol, side: difference.isNegative ? .sell : .buy, price: price,
                            quantity: difference.magnitude, fee: .zero, liquidity: .taker, time: now)
            raise(Alert(severity: .critical, kind: "reconcile.booked_at_last_price",
                        message: "\(symbol): \(difference.magnitude) of the position changed at the venue without a trace in its trade history; "
                            + "booked at the last price \(price) (PnL approximate): booked \(after), venue \(remote)", symbol: symbol, time: now))
            recordRepair("booked_at_last_price", symbol, "\(fill.side) \(fill.quantity) at \(price)")
            inbox.append(.filled(fill))
            await pump()
        }
    }

    /// The venue holds `venueQuantity` of symbol `index` and the bot nothing while its `entry` is
    /// in flight: the entry's executions (and any later ones) that no report delivered are booked
    /// from the trade history since the entry's signal. What the history cannot explain is left
    /// to the reconciliation plan (adoption).
    func bookLostEntryFills(symbolIndex index: Int, entry: PendingEntry, venueQuantity: Quantity) async {
        let symbol = kernel.instruments[index].symbol
        raise(Alert(severity: .warning, kind: "reconcile.entry_fill_missed",
                    message: "\(symbol): entry \(entry.orderID) in flight, nothing booked, the venue holds \(venueQuantity); "
                        + "booking the venue's executions since \(entry.approved.signal.time)", symbol: symbol, time: now))
        await bookVenueFills(symbolIndex: index, since: entry.approved.signal.time)
    }

    /// Books the executions of symbol `index` since `start` that no report delivered, oldest
    /// first, under their order's client id (so a close or a backstop fill keeps its reason); an
    /// execution of an order the venue cannot name is booked under a runtime id (an outside fill).
    func bookVenueFills(symbolIndex index: Int, since start: Timestamp) async {
        let symbol = kernel.instruments[index].symbol
        let history: [VenueFill]
        do throws(ExecutionError) {
            history = try await client.fills(symbol: symbol, since: start)
        } catch {
            raise(Alert(severity: .warning, kind: "reconcile.trade_history_unavailable",
                        message: "\(symbol): the venue's trade history could not be read (\(error))", symbol: symbol, time: now))
            return
        }
        for venueFill in history where !sync.bookedTradeIDs.contains(venueFill.tradeID) {
            let id: ClientOrderID
            if let known = venueFill.clientOrderID {
                id = known
            } else {
                sync.syntheticIDs += 1
                id = ClientOrderID("qt-\(settings.runTag)-vf\(sync.syntheticIDs)-ex")!
            }
            raise(Alert(severity: .warning, kind: "reconcile.fill_booked_from_history",
                        message: "\(symbol): execution \(venueFill.tradeID) of \(id) (\(venueFill.side) \(venueFill.quantity) at \(venueFill.price)) "
                            + "was never reported on the stream; booked from the venue's trade history", symbol: symbol, time: now))
            recordRepair("fill_booked", symbol, "\(id) \(venueFill.side) \(venueFill.quantity) at \(venueFill.price), trade \(venueFill.tradeID)")
            inbox.append(.filled(venueFill.fill(as: id)))
            await pump()
        }
    }

    /// Re-reads the wallet after reconciliation: the ledger takes the venue's balance (funding,
    /// fees or fills it never saw), alerted when they differed by more than a cent.
    func resyncWallet() async {
        let venueWallet: Money?
        do throws(ExecutionError) { venueWallet = try await client.walletBalance() } catch { return }
        guard let venueWallet else { return }
        let booked = kernel.portfolio.walletBalance
        guard (venueWallet - booked).magnitude > Money("0.01")! else { return }
        kernel.portfolio.setWalletBalance(venueWallet)
        raise(Alert(severity: .warning, kind: "reconcile.wallet_resynced",
                    message: "wallet re-read from the venue: \(venueWallet) (the bot had booked \(booked))", symbol: nil, time: now))
        record { try store.recordRiskEvent(RiskEventRecord(runID: runID, state: "reconcile_wallet_resynced", cause: "reconciliation",
                                                           detail: "wallet \(booked) → \(venueWallet)", time: now)) }
    }
}
