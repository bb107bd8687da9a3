import Synchronization
import LocalVenue
import Logging
import TradingEngine
import TradingModel

/// The paper session's observer on a local venue replay: after each market event the runtime
/// handled, it counts it (`VenueReplayPacer`), steps the venue when the pacer says so, stops the
/// session when the path is consumed, and writes the entries and exits (`PaperTradeLog`) to the
/// log. A lock-protected box (`@unchecked Sendable`: `lock` guards every `var`).
final class VenueReplayDriver: RuntimeObserver, @unchecked Sendable {
    private let lock = Mutex(())
    private var pacer: VenueReplayPacer
    private var tradeLog = PaperTradeLog()
    private var mismatch: VenueReplayPacer.Mismatch?
    private var done = false
    private var last: RuntimeState?
    let controller: VenueController
    let logger: Logger

    init(controller: VenueController, pacer: VenueReplayPacer, logger: Logger) {
        self.controller = controller
        self.pacer = pacer
        self.logger = logger
    }

    /// The market stream is connected: publish the first points (lockstep).
    func begin() {
        let action = lock.withLock { _ in pacer.start() }
        perform(action)
    }

    func handled(_ input: RuntimeInput, state: RuntimeState) async -> Bool {
        let (lines, action): ([PaperTradeLog.Line], VenueReplayPacer.Action?) = lock.withLock { _ in
            last = state
            let lines = tradeLog.update(state)
            guard case .market = input else { return (lines, nil) }
            do throws(VenueReplayPacer.Mismatch) {
                return (lines, try pacer.handledEvent())
            } catch {
                mismatch = error
                return (lines, nil)
            }
        }
        for line in lines { log(line) }
        if lock.withLock({ _ in mismatch != nil }) { return false }
        guard let action else { return true }
        perform(action)
        return action != .finished
    }

    private func perform(_ action: VenueReplayPacer.Action) {
        switch action {
        case .step(let count): controller.step(count: count)
        case .wait: break
        case .finished: lock.withLock { _ in done = true }
        }
    }

    /// Throws unless every point of the path was consumed.
    func checkCompleted() throws(LocalVenuePaperError) {
        let (mismatch, done, consumed, total) = lock.withLock { _ in (self.mismatch, self.done, pacer.consumed, pacer.eventsPerPoint.count) }
        if let mismatch { throw LocalVenuePaperError(mismatch.description) }
        guard done else { throw LocalVenuePaperError("the paper session stopped after \(consumed) of \(total) price points of the replay") }
    }

    /// The runtime's state after the last input.
    var lastState: RuntimeState? { lock.withLock { _ in last } }

    func log(_ line: PaperTradeLog.Line) {
        var metadata = Logger.Metadata()
        for item in line.metadata { metadata[item.key] = .string(item.value) }
        logger.info("\(line.message)", metadata: metadata)
    }
}
