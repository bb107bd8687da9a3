import BinanceFutures
import TradingEngine
import TradingModel

/// The live runtime's timer: a `.timer` input every `interval` of `sleep` at the venue's time,
/// and every `refreshInterval` the venue's listing read again (off the loop; a failed read is
/// tried again a minute later). Runs until cancelled.
struct LiveSessionTimer: Sendable {
    let streams: LiveStreams
    let client: BinanceExecutionClient
    let clock: any TradingClock
    let interval: Duration
    let refreshInterval: Duration
    let sleep: @Sendable (Duration) async throws -> Void

    func run() async {
        let inputs = streams.inputs
        var nextRefresh = clock.now.advanced(by: refreshInterval)
        while !Task.isCancelled {
            do { try await sleep(interval) } catch { return }
            if clock.now >= nextRefresh {
                let statuses = await streams.refreshInstruments(client)
                nextRefresh = clock.now.advanced(by: statuses == nil ? min(refreshInterval, .seconds(60)) : refreshInterval)
                if let statuses { inputs.yield(.instrumentsRefreshed(statuses)) }
            }
            inputs.yield(.timer(clock.now))
        }
    }
}
