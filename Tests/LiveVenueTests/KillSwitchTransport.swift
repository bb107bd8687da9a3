import Synchronization
import BinanceFutures
import TradingEngine
import TradingTestSupport

/// The HTTP transport of one bot process, able to "kill" it at a chosen REST request: from that
/// request on nothing more reaches the venue and no answer comes back (the calls stay suspended,
/// as in a process that died), until `release()` at the end of the test lets the dead process's
/// tasks unwind (every call then fails without being sent).
///
/// Kill moments: `.beforeSending` (the request never reaches the venue) and `.afterAnswer` (the
/// venue executed it; the process died before reading the answer).
final class KillSwitchTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `lock`.
    enum Moment: String, Sendable, Hashable { case beforeSending = "before", afterAnswer = "after" }

    /// Kill at the `request`-th REST request (1-based) of this process, at `moment`.
    struct KillPoint: Sendable, Hashable {
        var request: Int
        var moment: Moment
    }

    private let base: any HTTPTransport
    private let lock = Mutex(())
    private var sent = 0
    private let killPoint: KillPoint?
    private var isDead = false
    /// Set once the kill is complete: for `.afterAnswer`, after the venue answered the request.
    private var killComplete = false
    /// Requests forwarded to the venue and not answered yet.
    private var inFlight = 0
    private var isReleased = false
    private var frozen: [CheckedContinuation<Void, Never>] = []
    /// "METHOD /path" of each request this process made, in order (up to the kill).
    let requests = Observed<String>()
    /// Each request this process made (up to the kill), with its query.
    let sentRequests = Observed<HTTPRequestData>()
    /// The request the process died at ("METHOD /path (moment)"), then any request that was in
    /// flight at the kill and answered after it (wake-ups for waiting tests).
    let kills = Observed<String>()
    let killedRequest = Box<HTTPRequestData?>(nil)
    /// Sees every request as it is handed to the HTTP client (the latency benchmark's probe).
    let handedOver: (@Sendable (HTTPRequestData) -> Void)?

    init(base: any HTTPTransport, killPoint: KillPoint?, handedOver: (@Sendable (HTTPRequestData) -> Void)? = nil) {
        self.base = base
        self.killPoint = killPoint
        self.handedOver = handedOver
    }

    /// True once the process is dead and every request it had sent was executed (none in flight).
    var killed: Bool { lock.withLock { _ in killComplete && inFlight == 0 } }

    func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData {
        handedOver?(request)
        enum Decision { case forward, killBefore, killAfter, frozen, released }
        let decision: Decision = lock.withLock { _ in
            if isReleased { return .released }
            if isDead { return .frozen }
            sent += 1
            guard let killPoint, killPoint.request == sent else {
                inFlight += 1
                return .forward
            }
            isDead = true
            killComplete = killPoint.moment == .beforeSending
            return killComplete ? .killBefore : .killAfter
        }
        let label = "\(request.method.rawValue) \(request.path)"
        switch decision {
        case .released:
            throw .notSent("process killed")
        case .forward:
            requests.append(label)
            sentRequests.append(request)
            defer {
                lock.withLock { _ in inFlight -= 1 }
                if !kills.values.isEmpty { kills.append("in-flight request answered after the kill: \(label)") }
            }
            return try await base.send(request)
        case .killBefore:
            killedRequest.value = request
            kills.append("\(label) (\(Moment.beforeSending.rawValue))")
        case .killAfter:
            requests.append(label)
            sentRequests.append(request)
            killedRequest.value = request
            _ = try? await base.send(request)
            lock.withLock { _ in killComplete = true }
            kills.append("\(label) (\(Moment.afterAnswer.rawValue))")
        case .frozen:
            break
        }
        await freeze()
        throw .notSent("process killed")
    }

    /// True once the process died (by a request or by `kill(at:)`).
    var died: Bool { lock.withLock { _ in isDead } }

    /// Kills the process now, outside any request (a WebSocket event): from now on nothing more
    /// reaches the venue.
    func kill(at label: String) {
        lock.withLock { _ in
            isDead = true
            killComplete = true
        }
        kills.append(label)
    }

    /// Suspends a dead process's stream handler until `release()`; then ends its connection.
    func frozen() async -> Bool {
        await freeze()
        return false
    }

    private func freeze() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let released: Bool = lock.withLock { _ in
                if isReleased { return true }
                frozen.append(continuation)
                return false
            }
            if released { continuation.resume() }
        }
    }

    /// Lets the dead process's suspended calls fail (test clean-up).
    func release() {
        let waiting: [CheckedContinuation<Void, Never>] = lock.withLock { _ in
            isDead = true
            killComplete = true
            isReleased = true
            defer { frozen = [] }
            return frozen
        }
        for continuation in waiting { continuation.resume() }
    }
}
