import Testing
import TraderApp

@Suite("VenueReplayPacer: the local venue's path moves as the paper session consumes it")
struct VenueReplayPacerTests {
    @Test("lockstep, window 2: two points first, then one more per consumed point, finished after the last event")
    func lockstep() throws {
        // Points produce 2, 3 (a candle close: mark, trade, kline) and 2 events.
        var pacer = VenueReplayPacer(eventsPerPoint: [2, 3, 2], mode: .lockstep(window: 2))
        #expect(pacer.start() == .step(2))
        #expect(try pacer.handledEvent() == .wait)        // point 0: 1 of 2
        #expect(try pacer.handledEvent() == .step(1))     // point 0 consumed: room for point 2
        #expect(try pacer.handledEvent() == .wait)        // point 1: 1 of 3
        #expect(try pacer.handledEvent() == .wait)
        #expect(try pacer.handledEvent() == .wait)        // point 1 consumed, nothing left to publish
        #expect(try pacer.handledEvent() == .wait)
        #expect(try pacer.handledEvent() == .finished)
        #expect(pacer.published == 3 && pacer.consumed == 3)
    }

    @Test("an event the venue did not publish is a mismatch (the session stops, it does not guess)")
    func mismatch() throws {
        var pacer = VenueReplayPacer(eventsPerPoint: [1, 1, 1], mode: .lockstep(window: 1))
        #expect(pacer.start() == .step(1))
        #expect(try pacer.handledEvent() == .step(1))
        #expect(try pacer.handledEvent() == .step(1))
        #expect(try pacer.handledEvent() == .finished)
        #expect(throws: VenueReplayPacer.Mismatch.self) { try pacer.handledEvent() }

        var early = VenueReplayPacer(eventsPerPoint: [2, 2], mode: .lockstep(window: 1))
        #expect(early.start() == .step(1))
        _ = try early.handledEvent()
        #expect(try early.handledEvent() == .step(1))  // point 0 consumed: point 1 published
        #expect(early.published == 2)
        var beyond = VenueReplayPacer(eventsPerPoint: [1, 1], mode: .lockstep(window: 1))
        // No start: nothing published, so any event is a mismatch.
        #expect(throws: VenueReplayPacer.Mismatch.self) { try beyond.handledEvent() }
    }

    @Test("external pacing (wall-clock replay): never steps, finishes when every event was handled")
    func external() throws {
        var pacer = VenueReplayPacer(eventsPerPoint: [2, 3], mode: .external)
        #expect(pacer.start() == .wait)
        for _ in 0..<4 { #expect(try pacer.handledEvent() == .wait) }
        #expect(try pacer.handledEvent() == .finished)
        #expect(throws: VenueReplayPacer.Mismatch.self) { try pacer.handledEvent() }
    }

    @Test("an empty path is finished at once")
    func empty() {
        var pacer = VenueReplayPacer(eventsPerPoint: [], mode: .lockstep(window: 4))
        #expect(pacer.start() == .finished)
    }
}
