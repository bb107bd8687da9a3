import BinanceFutures
import Foundation
import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// SplitMix64: the kill points are chosen from a fixed seed (reproducible; no `random`).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A line on standard error (unbuffered: visible even when a run is cut short).
func trace(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Totals of the kill test.
struct KillFigures: Sendable {
    var iterations = 0
    var killsByPhase: [String: Int] = [:]
    var positionsOpenAtRestart = 0
    var unprotectedFoundAtRestart = 0
    var unprotectedRepaired = 0
    var duplicateBackstopsFoundAtRestart = 0
    var duplicateBackstopsRepaired = 0
    var orphanOrdersFoundAtRestart = 0
    var unprotectedAfterRestart = 0
    var duplicateClientIDs = 0
    var duplicateEntries = 0
    /// Fills of the live process's own orders at the venue that it never booked.
    var lostFills = 0
    /// Runs that ended with the bot's book and the venue disagreeing (a position on one side only, or sizes apart).
    var phantomPositions = 0
    var faults: [String: Int] = [:]

    var report: String {
        var lines = ["kill test: \(iterations) iterations (bot killed once each, restarted on the same venue and store)"]
        for (phase, count) in killsByPhase.sorted(by: { $0.key < $1.key }) { lines.append("  killed at \(phase): \(count)") }
        lines.append("  positions open at restart: \(positionsOpenAtRestart)")
        lines.append("  unprotected positions found at restart: \(unprotectedFoundAtRestart), repaired by reconciliation: \(unprotectedRepaired)")
        lines.append("  duplicate backstops found at restart: \(duplicateBackstopsFoundAtRestart), repaired: \(duplicateBackstopsRepaired)")
        lines.append("  orphan orders of flat symbols found at restart: \(orphanOrdersFoundAtRestart)")
        lines.append("  unprotected positions after restart: \(unprotectedAfterRestart)")
        lines.append("  duplicate orders (client id sent twice): \(duplicateClientIDs); duplicate entries: \(duplicateEntries)")
        lines.append("  lost fills: \(lostFills); phantom positions: \(phantomPositions)")
        for (fault, count) in faults.sorted(by: { $0.key < $1.key }) { lines.append("  venue fault \(fault): \(count) iteration(s)") }
        return lines.joined(separator: "\n")
    }
}

@Suite("Live path against the local venue: the bot killed at random points and restarted")
struct KillRestartTests {
    /// Entry at 2.224, a fall through TP1 (partial close, stop moved to break-even: new backstop
    /// first, then the old one cancelled), then a rise through the moved stop.
    static let prices = ["2.224", "2.224", "2.224", "2.214", "2.200", "2.190", "2.205", "2.222", "2.232", "2.240"]

    /// Drives `bot` over the rest of the path, waiting after each point until the venue and the
    /// bot settled (or the bot died).
    /// `largest` keeps the largest position seen (a stacked second entry would show as 892.06).
    static func drive(_ venue: VenueLiveHarness, _ bot: BotProcess, largest: Box<Quantity>? = nil) async {
        await venue.waitUntilTrading(bot)
        while !bot.transport.killed, venue.controller.remainingPoints > 0 {
            await venue.stepAndWaitForMark(bot)
            if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil, let runtime = bot.runtime.value {
                let marks = bot.handled.values.compactMap { if case .market(.markPrice(let mark)) = $0 { "\(mark.price)@\(mark.eventTime.milliseconds % 1_000_000)" } else { nil } }
                trace("bot state: \(await runtime.state.positions.map { "\($0.position.quantity) targets \($0.targetPrices)" }) marks \(marks.suffix(2)) stale \(await runtime.staleMarketSymbols) last \(bot.handled.values.suffix(3).map { "\($0)".prefix(90) }) sent \(bot.transport.requests.values.suffix(3))")
            }
            if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil {
                trace("stepped to \(venue.controller.now): position \(String(describing: venue.venuePosition?.quantity)) orders \(venue.venueOpenOrders.map { "\($0.clientOrderID) \($0.triggerPrice.map { "\($0)" } ?? "")" }) requests \(venue.controller.requests.suffix(3).map { "\($0.method) \($0.path) \($0.status)" })")
            }
            await venue.eventually(bot) {
                let size = venue.venuePosition?.quantity ?? .zero
                largest?.update { if size > $0 { $0 = size } }
                return bot.transport.killed || settled(venue, bot)
            }
        }
    }

    /// Flat with nothing resting, or one position with one resting backstop the bot saw accepted.
    /// The bot has also booked the fill of every order of its own that filled at the venue: from
    /// its report, or (a report lost in a user-data gap, which Binance never replays) from the
    /// venue's trade history at a reconciliation (`BotProcess.reconciledFills`, taken after the
    /// reconciliation was handled: never a store read in the middle of an input).
    static func settled(_ venue: VenueLiveHarness, _ bot: BotProcess) -> Bool {
        guard venue.venueIsProtected, !bot.lanesBusy.value else { return false }
        if let runID = bot.runID.value {
            let own = venue.venueFilled.keys.filter { $0.hasPrefix("qt-v\(runID)-") || $0.hasPrefix("qt-v\(runID)p") }
            var seen = Set(bot.handled.values.compactMap { input -> String? in
                if case .execution(.filled(let fill)) = input { fill.clientOrderID.value } else { nil }
            })
            seen.formUnion(bot.reconciledFills.value)
            guard own.allSatisfy(seen.contains) else {
                if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil { trace("unseen fills: \(own.filter { !seen.contains($0) })") }
                return false
            }
        }
        guard venue.venuePosition != nil, let backstop = venue.restingBackstops.first else { return true }
        return bot.hasHandled { if case .execution(.accepted(let id, _, _, _)) = $0 { id == backstop.clientOrderID } else { false } }
            || bot.hasAcceptedBackstop(at: backstop.triggerPrice)
    }

    /// 50 iterations inside `make test`, 100 in `make chaos` (`QT_KILL_ITERATIONS`), seeded: a bot is killed at a random REST
    /// request (before it reaches the venue, or after the venue executed it and before the bot
    /// read the answer) or, one iteration in five, at a user-data `TRADE` report (the fill is
    /// executed, the process dies before reading its report); each iteration also runs with a
    /// venue fault drawn at random (`ACCOUNT_UPDATE` first or interleaved, duplicated user-data
    /// messages, or none); the process's
    /// state is dropped (its session task cancelled, its runtime discarded, no graceful step); a
    /// new process starts with the same store file against the same venue and reconciles.
    @Test("Killed at random points (REST requests and WebSocket fill reports, random venue faults) and restarted: zero unprotected positions, duplicate orders, lost fills and phantom positions (50 in make test, 100 in make chaos)",
          .timeLimit(.minutes(5)))
    func killedAndRestarted() async throws {
        let rehearsal = try await Self.rehearse().requests
        if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil {
            for (number, line) in rehearsal.enumerated() { trace("request \(number + 1): \(line.prefix(120))") }
        }
        let total = rehearsal.count
        let tradingStart = try #require(rehearsal.firstIndex { $0.hasPrefix("POST /fapi/v1/leverage") }) + 1
        var generator = SeededGenerator(state: 0x5EED_0007)
        var figures = KillFigures()
        let iterations = ProcessInfo.processInfo.environment["QT_KILL_ITERATIONS"].flatMap { Int($0) }.map { max(1, $0) } ?? 50
        for iteration in 1...iterations {
            // Three kills in four land in the trading part of the flow (entry onwards).
            let request = generator.next() % 4 == 0 ? Int.random(in: 1...total, using: &generator)
                : Int.random(in: tradingStart...total, using: &generator)
            let moment: KillSwitchTransport.Moment = Bool.random(using: &generator) ? .beforeSending : .afterAnswer
            // One kill in five at a fill's WebSocket report (the entry's, TP1's, TP2's or the stop's) instead.
            let atTrade: Int? = generator.next() % 5 == 0 ? Int.random(in: 1...4, using: &generator) : nil
            let fault = Fault.allCases[Int(generator.next() % UInt64(Fault.allCases.count))]
            figures.faults[fault.rawValue, default: 0] += 1
            let outcome = try await Self.killAndRestart(at: atTrade == nil ? KillSwitchTransport.KillPoint(request: request, moment: moment) : nil,
                                                        atTrade: atTrade, fault: fault, iteration: iteration)
            figures.iterations += 1
            figures.killsByPhase[outcome.phase, default: 0] += 1
            figures.positionsOpenAtRestart += outcome.positionOpenAtRestart ? 1 : 0
            figures.unprotectedFoundAtRestart += outcome.unprotectedAtRestart ? 1 : 0
            figures.unprotectedRepaired += outcome.unprotectedAtRestart && outcome.protectedAfterRestart ? 1 : 0
            figures.duplicateBackstopsFoundAtRestart += outcome.duplicateBackstopsAtRestart ? 1 : 0
            figures.duplicateBackstopsRepaired += outcome.duplicateBackstopsAtRestart && outcome.protectedAfterRestart ? 1 : 0
            figures.orphanOrdersFoundAtRestart += outcome.orphansAtRestart ? 1 : 0
            figures.unprotectedAfterRestart += outcome.protectedAfterRestart && outcome.protectedAtEnd ? 0 : 1
            figures.duplicateClientIDs += outcome.duplicateClientIDs
            figures.duplicateEntries += outcome.duplicateEntries
            figures.lostFills += outcome.lostFills
            figures.phantomPositions += outcome.phantomPosition ? 1 : 0
        }
        // The figures go to the test output (stdout) and to standard error.
        print(figures.report)
        trace(figures.report)
        #expect(figures.iterations == iterations)
        #expect(figures.unprotectedAfterRestart == 0)
        #expect(figures.lostFills == 0 && figures.phantomPositions == 0)
        #expect(figures.duplicateClientIDs == 0 && figures.duplicateEntries == 0)
        #expect(figures.unprotectedRepaired == figures.unprotectedFoundAtRestart)
        #expect(figures.duplicateBackstopsRepaired == figures.duplicateBackstopsFoundAtRestart)
        // The seed spreads the kills over the flow: several trading phases are hit.
        if iterations >= 50 {
            #expect(figures.killsByPhase.keys.filter { !["start-up", "reconciliation read", "listen key"].contains($0) }.count >= 6)
            #expect(figures.killsByPhase.keys.contains { $0.hasPrefix("user-data TRADE") })
        }
    }

    /// The venue's bad days drawn per iteration.
    enum Fault: String, CaseIterable, Sendable {
        case none
        case accountUpdateFirst = "ACCOUNT_UPDATE first"
        case interleaved = "ACCOUNT_UPDATE interleaved"
        case duplicates = "user-data messages twice"
    }

    struct Outcome: Sendable {
        var phase = "after the path (request never made)"
        var positionOpenAtRestart = false
        var unprotectedAtRestart = false
        var duplicateBackstopsAtRestart = false
        var orphansAtRestart = false
        var protectedAfterRestart = false
        var protectedAtEnd = false
        var duplicateClientIDs = 0
        var duplicateEntries = 0
        var lostFills = 0
        var phantomPosition = false
    }

    static func killAndRestart(at killPoint: KillSwitchTransport.KillPoint?, atTrade: Int? = nil, fault: Fault = .none, iteration: Int) async throws -> Outcome {
        if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil { trace("kill iteration \(iteration): \(String(describing: killPoint)) trade \(String(describing: atTrade)) \(fault)") }
        let result = Box(Outcome())
        try await VenueLiveHarness.run(prices: prices) { venue in
            switch fault {
            case .none: break
            case .accountUpdateFirst: venue.controller.setUserDataOrder(.accountUpdateFirst)
            case .interleaved: venue.controller.setUserDataOrder(.interleaved)
            case .duplicates: venue.controller.duplicateUserData(true)
            }
            var outcome = Outcome()
            let largest = Box(Quantity.zero)
            let first = try venue.startBot(killPoint: killPoint, killAtTrade: atTrade)
            await drive(venue, first, largest: largest)
            if first.transport.killed, let killPoint, let request = first.transport.killedRequest.value {
                outcome.phase = KillPhase.name(of: request, moment: killPoint.moment, earlier: first.transport.sentRequests.values.dropLast(killPoint.moment == .afterAnswer ? 1 : 0),
                                               positionOpen: venue.venuePosition != nil)
            } else if first.transport.killed, let label = first.transport.kills.values.first {
                outcome.phase = label
            }
            // The kill: drop every in-process state at once; nothing graceful.
            first.abandon()

            let position = venue.venuePosition
            let backstops = venue.restingBackstops
            outcome.positionOpenAtRestart = position != nil
            outcome.unprotectedAtRestart = position != nil && backstops.isEmpty
            outcome.duplicateBackstopsAtRestart = position != nil && backstops.count > 1
            outcome.orphansAtRestart = position == nil && !venue.venueOpenOrders.isEmpty

            let second = try venue.startBot()
            await venue.waitUntilTrading(second)
            if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil {
                if let runtime = second.runtime.value {
                    let state = await runtime.state
                    trace("restarted runtime: \(state.positions.map { "\($0.position.quantity) stop \(String(describing: $0.stopPrice)) targets \($0.targetPrices) backstop \(String(describing: $0.backstopPrice))" }) alerts \(await runtime.alerts.map(\.kind))")
                }
                trace("restarted: position \(String(describing: venue.venuePosition?.quantity)) orders \(venue.venueOpenOrders.map { "\($0.clientOrderID) \($0.triggerPrice.map { "\($0)" } ?? "")" })")
            }
            outcome.protectedAfterRestart = venue.venueIsProtected
            #expect(outcome.protectedAfterRestart, "iteration \(iteration), \(outcome.phase): after reconciliation \(String(describing: venue.venuePosition)) with \(venue.venueOpenOrders)")
            if position != nil {
                #expect(venue.venuePosition?.quantity == position?.quantity, "iteration \(iteration): reconciliation changed the position")
            }
            await drive(venue, second, largest: largest)
            if ProcessInfo.processInfo.environment["QT_KILL_TRACE"] != nil, let runtime = second.runtime.value {
                trace("after drive: \(await runtime.alerts.map { "\($0.kind): \($0.message.prefix(160))" }.joined(separator: "\n  "))")
            }
            outcome.protectedAtEnd = venue.venueIsProtected
            #expect(outcome.protectedAtEnd, "iteration \(iteration), \(outcome.phase): at the end \(venue.venueOpenOrders)")

            // No client id executed twice; the killed request (its outcome unknown to the dead
            // process) was never sent again.
            let posted = venue.postedClientIDs
            outcome.duplicateClientIDs = posted.values.filter { $0 > 1 }.count
            if let killPoint, let killed = first.transport.killedRequest.value, let id = Self.clientID(in: killed) {
                // Every POST of that id the venue received (executed or refused) came from the dead
                // process: the killed request once if it reached the venue (after the answer), never
                // before it (before sending), and never from the new process. The dead process may
                // have sent it before, refused and not executed (e.g. a refusal re-signed and resent
                // with the same id).
                let received = venue.controller.requests.filter { $0.method == "POST" && ($0.parameters["newClientOrderId"] ?? $0.parameters["clientAlgoId"]) == id }
                let executed = received.filter { ![400, 418, 429].contains($0.status) }.count
                let sentByDead = first.transport.sentRequests.values.filter { Self.clientID(in: $0) == id }.count
                #expect(executed <= 1 && received.count == sentByDead && (killPoint.moment == .beforeSending || sentByDead > 0),
                        "iteration \(iteration): \(id) resent: \(received.map(\.status)), \(sentByDead) sent by the dead process")
            }
            // One entry per process at most (one signal each), and never an entry on top of an open
            // position (the restarted process adopts it): the position never exceeds 446.03.
            let entries = venue.venueEntries
            let firstEntries = entries.filter { $0.hasPrefix("qt-v\(first.runID.value ?? -1)-") }.count
            let secondEntries = entries.filter { $0.hasPrefix("qt-v\(second.runID.value ?? -1)-") }.count
            outcome.duplicateEntries = max(0, firstEntries - 1) + max(0, secondEntries - 1) + (largest.value > Quantity("446.03")! ? 1 : 0)
            #expect(entries.count == firstEntries + secondEntries, "iteration \(iteration): an entry from no process: \(entries)")
            #expect(largest.value <= Quantity("446.03")!, "iteration \(iteration): position stacked to \(largest.value)")

            // Lost fills: an own order of the live process filled at the venue and never booked by it.
            if let runID = second.runID.value {
                let own = venue.venueFilled.keys.filter { $0.hasPrefix("qt-v\(runID)-") || $0.hasPrefix("qt-v\(runID)p") }
                let seen = Set(second.handled.values.compactMap { input -> String? in
                    if case .execution(.filled(let fill)) = input { fill.clientOrderID.value } else { nil }
                })
                outcome.lostFills = own.filter { !seen.contains($0) }.count
            }
            // Phantom positions: the bot's book and the venue agree at the end.
            let booked = second.latestState.value?.positions.first.map { $0.position.quantity }
            outcome.phantomPosition = booked != venue.venuePosition?.quantity
            #expect(!outcome.phantomPosition, "iteration \(iteration): booked \(String(describing: booked)), venue \(String(describing: venue.venuePosition))")

            _ = try await second.stop()
            await first.release()
            result.value = outcome
        }
        return result.value
    }

    /// The client id an order/algo POST carries (`newClientOrderId` or `clientAlgoId`).
    static func clientID(in request: HTTPRequestData) -> String? {
        guard request.method == .post, request.path == "/fapi/v1/order" || request.path == "/fapi/v1/algoOrder" else { return nil }
        let fields = (request.query + "&" + String(decoding: request.body, as: UTF8.self)).split(separator: "&")
        return fields.first { $0.hasPrefix("newClientOrderId=") || $0.hasPrefix("clientAlgoId=") }.map { String($0.split(separator: "=", maxSplits: 1)[1]) }
    }

    @Test("Rehearsal: the path without a kill enters, harvests TP1, moves the stop new-before-old and stops out", .timeLimit(.minutes(5)))
    func rehearsal() async throws {
        let (sent, acceptedBackstops) = try await Self.rehearse()
        let requests = sent.map { $0.components(separatedBy: "&recvWindow").first ?? $0 }
        let writes = requests.filter { !$0.hasPrefix("GET") && !$0.contains("/listenKey") && !$0.contains("/marginType") }
        // Entry, its backstop, TP1 (30 % of 446.03 = 133.80), the stop moved to break-even (new
        // backstop first, old cancelled after), TP2, the stop moved to TP1, the rest (178.43)
        // closed at the moved stop, the remaining backstops cancelled. The user-data and market
        // sockets are independent, so the exact interleaving of backstop writes may vary.
        let kinds = writes.map { line -> String in
            if line.contains("/leverage") { return "leverage" }
            if line.contains("DELETE /fapi/v1/algoOrder") { return "cancel backstop" }
            if line.contains("/algoOrder") { return "backstop" }
            if line.contains("reduceOnly=true") { return line.contains("-tp") ? "take profit" : "stop close" }
            return "entry"
        }
        #expect(Array(kinds.prefix(4)) == ["leverage", "entry", "backstop", "take profit"])
        #expect(kinds.filter { $0 == "entry" }.count == 1 && kinds.filter { $0 == "take profit" }.count == 2)
        #expect(kinds.filter { $0 == "backstop" }.count >= 3 && kinds.last == "cancel backstop")
        // Every accepted backstop was cancelled in the end (a stop move that lands after the price
        // already crossed the new trigger is refused -2021 and the owner closes at market instead).
        #expect(acceptedBackstops == kinds.filter { $0 == "cancel backstop" }.count)
        #expect(writes.contains { $0.contains("quantity=178.43") && $0.contains("-sl") })
    }

    /// The requests of a run without a kill, and how many backstops the venue accepted.
    static func rehearse() async throws -> (requests: [String], acceptedBackstops: Int) {
        let result = Box<[String]>([])
        let acceptedBackstops = Box(0)
        try await VenueLiveHarness.run(prices: prices) { venue in
            let bot = try venue.startBot()
            await drive(venue, bot)
            _ = try await bot.stop()
            #expect(venue.venuePosition == nil && venue.venueOpenOrders.isEmpty, "the rehearsal ends flat with nothing resting")
            #expect(venue.postedClientIDs.values.allSatisfy { $0 == 1 })
            result.value = bot.transport.sentRequests.values.map { "\($0.method.rawValue) \($0.path) \($0.query)" }
            acceptedBackstops.value = venue.controller.requests.filter { $0.method == "POST" && $0.path == "/fapi/v1/algoOrder" && $0.status == 200 }.count
        }
        return (result.value, acceptedBackstops.value)
    }
}
