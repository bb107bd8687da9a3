import Alerts
import TradingEngine
import TradingModel

/// An `AlertHTTPTransport` whose request timeout runs on a `SteppedClock` instead of the wall
/// clock: a request still unanswered when the test moves the clock past `timeout` fails as a
/// real timeout does (`.transient`, "no answer within N s") and is cancelled. The real
/// transport underneath is given a long wall-clock timeout that a test never reaches.
public struct ClockDeadlineTransport: AlertHTTPTransport {
    let base: any AlertHTTPTransport
    let clock: SteppedClock

    public init(base: any AlertHTTPTransport = AsyncHTTPClientAlertTransport(), clock: SteppedClock) {
        self.base = base
        self.clock = clock
    }

    public func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeout: Duration) async throws(DeliveryError)
        -> AlertHTTPResponse {
        let deadline = clock.now.advanced(by: timeout)
        let (base, clock) = (self.base, self.clock)
        let first: Result<AlertHTTPResponse, DeliveryError>?? = await withTaskGroup(of: Result<AlertHTTPResponse, DeliveryError>?.self) { group in
            group.addTask {
                do throws(DeliveryError) {
                    return .success(try await base.send(method: method, url: url, headers: headers, body: body, timeout: .seconds(600)))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                await clock.time.wait { $0 >= deadline }
                return nil
            }
            let first = await group.next()
            group.cancelAll()
            return first
        }
        guard let outcome = first ?? nil else { throw DeliveryError(.transient, "no answer within \(timeout.components.seconds) s") }
        return try outcome.get()
    }
}
