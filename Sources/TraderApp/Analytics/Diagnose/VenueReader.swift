import TradingEngine

/// Reads the venue one call at a time for `qt diagnose --venue`, with the retry rules of
/// `qt flow --venue`: a transient failure (5xx, no answer in time) is retried after 1 s, 2 s…;
/// a rate-limit answer (429/418) waits its `Retry-After` when that is at most `longestWait`;
/// anything else fails at once. After a failure every later call would meet too (bad keys, the
/// venue down, a rate limit), the remaining calls are not sent and say why. Nothing sleeps but `pause`.
struct VenueReader {
    var attempts = 3
    var longestWait: Duration = .seconds(60)
    let pause: @Sendable (Duration) async -> Void
    /// The failure that stopped the reads, if any.
    private(set) var stoppedBy: VenueReadFailure?

    init(attempts: Int = 3, longestWait: Duration = .seconds(60), pause: @escaping @Sendable (Duration) async -> Void) {
        self.attempts = max(1, attempts)
        self.longestWait = longestWait
        self.pause = pause
    }

    /// Why a call is not sent (nil while reads go on).
    var skipReason: String? {
        stoppedBy.map { "not asked: \($0.endpoint) failed before (\($0.keysRejected ? "the API keys were rejected" : MoneyFlowReport.kindName($0.kind)))" }
    }

    mutating func read<Value: Sendable>(_ endpoint: String, _ call: () async throws(ExecutionError) -> Value) async -> VenueRead<Value> {
        if let skipReason { return .notTried(skipReason) }
        var tries = 0
        while true {
            tries += 1
            do throws(ExecutionError) {
                return .read(try await call())
            } catch {
                if tries < attempts, let delay = retryDelay(error.kind, tries: tries) {
                    await pause(delay)
                    continue
                }
                let failure = VenueReadFailure(endpoint: endpoint, error: error, attempts: tries)
                if failure.stopsFurtherReads { stoppedBy = failure }
                return .failed(failure)
            }
        }
    }

    /// Stops the reads after a failure outside `read` (the server-time sync).
    mutating func stop(_ failure: VenueReadFailure) { stoppedBy = failure }

    private func retryDelay(_ kind: ExecutionErrorKind, tries: Int) -> Duration? {
        switch kind {
        case .transient:
            return .seconds(tries)
        case .rateLimited(let wait):
            let delay = wait ?? .seconds(1)
            return delay <= longestWait ? delay : nil
        case .configuration, .rejected, .unknownStatus:
            return nil
        }
    }
}
