import Backtest
import BinanceFutures
import TradingEngine
import TradingModel

extension Diagnosis {
    /// The venue's sections (account, positions with their protection, money), in reading order.
    var venueSections: [(title: String, lines: [String])] {
        guard let venue else { return [] }
        let snapshot = venue.snapshot
        let status = snapshot.isComplete ? "complete"
            : "INCOMPLETE: \(snapshot.unread.count) section\(snapshot.unread.count == 1 ? "" : "s") could not be read (see below); nothing here is complete without them"
        var account = ["\(snapshot.endpoint), read at \(snapshot.readAt.map { "\($0)" } ?? "unknown (the server time could not be read)"): \(status)"]
        if let totals = snapshot.account.value {
            account.append("wallet \(totals.wallet) USDT, available \(totals.available), margin balance \(totals.marginBalance) "
                           + "(unrealised \(totals.unrealizedPnL)), initial margin \(totals.initialMargin), maintenance margin \(totals.maintenanceMargin), "
                           + "margin ratio \(totals.marginRatioPct.map { DisplayNumber.fixed($0, 2) + "%" } ?? "n/a (no margin balance)")")
        } else if let problem = snapshot.account.problem {
            account.append("account: \(problem)")
        }
        if let config = snapshot.config.value {
            account.append("position mode \(config.dualSidePosition ? "HEDGE (the bot refuses to start)" : "one-way"), "
                           + "can trade \(config.canTrade ? "yes" : "NO")" + (config.feeTier.map { ", fee tier \($0)" } ?? ""))
        } else if let problem = snapshot.config.problem {
            account.append("position mode and trading permission: \(problem)")
        }
        var positions: [String] = []
        if let problem = snapshot.positions.problem {
            positions.append("positions: \(problem)")
        } else if venue.held.isEmpty {
            positions.append("none: the venue holds no open position")
        }
        if let problem = snapshot.orders.problem { positions.append("open orders (stops): \(problem)") }
        for held in venue.held {
            positions.append("\(held.row.snapshot.symbol) " + Self.venueFiguresLine(held).dropFirst("venue: ".count))
            positions.append("  " + Self.protectionText(held))
            positions.append("  " + Self.ownerText(held))
        }
        for phantom in venue.phantoms {
            positions.append("\(phantom.symbol) \(phantom.side?.rawValue ?? "?"): open in the store (run #\(phantom.runID), \(phantom.executor)), NOT HELD on the venue")
        }
        return [("venue account", account), ("venue positions (\(snapshot.positions.value == nil ? "NOT READ" : "\(venue.held.count)"))", positions), ("venue money", moneyLines(snapshot))]
    }

    func moneyLines(_ snapshot: VenueSnapshot) -> [String] {
        let wallet = snapshot.account.value?.wallet
        var lines = ["venue wallet: " + (wallet.map { "\($0) USDT (GET /fapi/v3/account)" } ?? "unknown (\(snapshot.account.problem ?? "not read"))")]
        guard let money = snapshot.money else {
            return lines + ["no live run in the store: nothing to compare the venue's wallet and income with"]
        }
        guard let report = money.value else { return lines + ["the store's flow: \(money.problem ?? "not read")"] }
        let flow = report.flow
        lines.append("store: run #\(report.run.id ?? 0) live \(report.run.strategyName) (started \(report.run.startedAt)), \(flow.lines.count) closed trades, net realised \(flow.netPnL)")
        if let recorded = flow.recordedWallet {
            lines.append("recorded wallet \(recorded) (last equity sample, \(report.recordedSampleTime.map { "\($0)" } ?? "?"))"
                         + (wallet.map { "; venue − recorded = \(Self.difference($0, recorded)) (what moved the wallet since the sample)" } ?? ""))
        } else {
            lines.append("recorded wallet: unknown (the run recorded no equity sample)")
        }
        if let explained = flow.explainedWallet {
            var line = "explained wallet \(explained) (start + net realised − open positions' fees)"
            if let wallet {
                let gap = Self.difference(wallet, explained)
                line += "; venue − explained = \(gap)" + (wallet == explained ? " (the run's trades explain the venue's wallet exactly)"
                                                                              : " NOT EXPLAINED by the run's trades (other runs, transfers, open positions' funding)")
            }
            lines.append(line)
        }
        return lines + report.incomeLines
    }

    /// `a − b` exact, in 128 bits (venue and store amounts are each in range, their difference may not be).
    static func difference(_ a: Money, _ b: Money) -> String {
        let raw = Int128(a.raw) - Int128(b.raw)
        return Int64(exactly: raw).map { "\(Money(raw: $0))" } ?? "out of range"
    }
}
