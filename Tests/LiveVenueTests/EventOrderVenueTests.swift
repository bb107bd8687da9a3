import LocalVenue
import Testing
import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport
import Storage

/// The order of a fill's user-data messages at the venue.
enum EventOrderFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case accountUpdateFirst, interleaved, duplicatedMessages
    var testDescription: String { rawValue }

    func apply(_ controller: VenueController) {
        switch self {
        case .accountUpdateFirst: controller.setUserDataOrder(.accountUpdateFirst)
        case .interleaved:
            controller.setUserDataOrder(.interleaved)
            controller.splitNextFill(into: 2)
        case .duplicatedMessages: controller.duplicateUserData(true)
        }
    }
}

@Suite("Live path against the local venue: the order of the venue's events does not matter")
struct EventOrderVenueTests {
    @Test("Event order does not matter: ACCOUNT_UPDATE before, between or twice around the fills; TP1, break-even move and stop-out trade as in order",
          .timeLimit(.minutes(5)), arguments: EventOrderFault.allCases)
    func eventOrderDoesNotMatter(_ fault: EventOrderFault) async throws {
        try await VenueLiveHarness.run(prices: KillRestartTests.prices) { venue in
            fault.apply(venue.controller)
            let bot = try venue.startBot()
            let largest = Box(Quantity.zero)
            var unprotected: [String] = []
            await venue.waitUntilTrading(bot)
            while venue.controller.remainingPoints > 0 {
                await venue.stepAndWaitForMark(bot)
                await venue.eventually(bot) { KillRestartTests.settled(venue, bot) }
                if !venue.venueIsProtected { unprotected.append("\(venue.venuePosition.map { "\($0.quantity)" } ?? "flat"): \(venue.venueOpenOrders)") }
                let size = venue.venuePosition?.quantity ?? .zero
                largest.update { if size > $0 { $0 = size } }
            }
            #expect(unprotected.isEmpty, "\(unprotected)")
            let summary = try await bot.stop()
            #expect(venue.venuePosition == nil && venue.venueOpenOrders.isEmpty)
            // One round trip of 446.03 (TP1, TP2, stop at the moved level), booked once.
            #expect(summary.trades.count == 1 && summary.trades.first?.quantity == Quantity("446.03")!)
            #expect(summary.openPositions.isEmpty)
            #expect(VenueLiveHarness.filled(bot.storeFills) == venue.venueFilled, "store \(bot.storeFills.count) fills vs venue \(venue.venueFilled)")
            #expect(largest.value == Quantity("446.03")!)
            #expect(bot.criticalAlerts.isEmpty, "\(bot.criticalAlerts)")
            let kinds = try bot.store.alerts(runID: bot.runID.value ?? -1).map(\.alert.kind)
            #expect(!kinds.contains("exit.position_resized") && !kinds.contains("exit.position_closed_outside"))
        }
    }
}
