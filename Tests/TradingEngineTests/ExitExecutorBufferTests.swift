import Testing
import TradingEngine
import TradingModel

/// `ExitExecutor.on(_:into:)` (the kernel's reused buffer) appends exactly what `on(_:)` returns,
/// after what the buffer already holds, through a whole position: start on the first event,
/// backstop, a quiet price, a target, a rejected close and its retry, a fill, a manual close.
@Suite("ExitExecutor: appending into a caller's buffer")
struct ExitExecutorBufferTests {
    typealias F = ExitFixtures

    static let sentinel = ExitAction.alert(Alert(severity: .info, kind: "test.sentinel", message: "already in the buffer",
                                                 symbol: "ATOMUSDT", time: F.time(0)))

    /// Sends `event` to both executors; the buffer must hold the sentinel, then `on(_:)`'s actions.
    static func step(_ event: ExitEvent, returning: inout ExitExecutor, appending: inout ExitExecutor,
                     sourceLocation: SourceLocation = #_sourceLocation) -> [ExitAction] {
        let returned = returning.on(event)
        var buffer = [sentinel]
        appending.on(event, into: &buffer)
        #expect(buffer == [sentinel] + returned, sourceLocation: sourceLocation)
        #expect(appending.state == returning.state, sourceLocation: sourceLocation)
        return returned
    }

    @Test("the same actions, appended after the buffer's content, event by event")
    func sameActionsAsReturned() throws {
        let plan = F.plan(F.atom, .short, entry: "2.224", quantity: "446.03", leverage: 20)
        var returning = F.executor(plan, F.atom)
        var appending = F.executor(plan, F.atom)
        // The first event starts the executor: backstop and a save, then the (quiet) price.
        let started = Self.step(F.price("ATOMUSDT", "2.224", at: 0), returning: &returning, appending: &appending)
        let backstop = try #require(started.submitted.first)
        #expect(started.saves == 1)
        _ = Self.step(F.accepted(backstop.clientOrderID, "ATOMUSDT", at: 0.1), returning: &returning, appending: &appending)
        // A price that crosses nothing appends nothing.
        #expect(Self.step(F.price("ATOMUSDT", "2.220", at: 1), returning: &returning, appending: &appending).isEmpty)
        // TP1 (≈ 2.206 for this short) crossed: one reduce-only close of its slice.
        let crossed = Self.step(F.price("ATOMUSDT", "2.200", at: 2), returning: &returning, appending: &appending)
        let close = try #require(crossed.submitted.first)
        #expect(close.reduceOnly)
        _ = Self.step(F.rejected(close.clientOrderID, "ATOMUSDT", at: 2.1), returning: &returning, appending: &appending)
        let retried = Self.step(.timer(F.time(10)), returning: &returning, appending: &appending)
        let retry = try #require(retried.submitted.first)
        #expect(retried.saves == 1)
        let filled = Self.step(F.fill(retry.clientOrderID, "ATOMUSDT", .buy, price: "2.200", quantity: "\(retry.quantity!)", at: 10.1),
                               returning: &returning, appending: &appending)
        #expect(filled.closedSlices.count == 1)
        // A timer with nothing due appends nothing (not even a save).
        #expect(Self.step(.timer(F.time(11)), returning: &returning, appending: &appending).isEmpty)
        let manual = Self.step(.manualClose(F.time(12)), returning: &returning, appending: &appending)
        #expect(manual.submitted.count == 1 && manual.saves == 1)
    }
}
