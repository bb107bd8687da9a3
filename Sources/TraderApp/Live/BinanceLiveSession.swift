import BinanceFutures
import Logging
import TradingEngine
import TradingModel

/// Start-up of a Binance USDⓈ-M session for `qt live`, on any Binance-compatible base URL (the
/// transport carries it): server time, position mode, instruments with their margin tiers,
/// ISOLATED margin per symbol. The runtime then reconciles (`LiveRuntime.reconcile()`) before any
/// entry. A hedge-mode account is refused here: QuantumTrader trades one-way positions only.
/// Keys go only into the signing client; nothing here prints or logs them.
public struct BinanceLiveSession: Sendable {
    public let client: BinanceExecutionClient
    public let instruments: [Instrument]
    /// The account's USDT wallet balance at start-up: the runtime's ledger, the risk engine's
    /// equity and risk-based sizing start from it, never from a configured figure.
    public let walletBalance: Money
    /// The session's clock on the venue's time base (local clock + measured offset): the runtime
    /// and the streams use it, so every deadline is measured on the venue's time.
    public let clock: VenueClock
    /// Traded symbols that already hold a position (or orders) in cross margin and could not be
    /// switched to isolated: protected as they are; new entries wait until flat.
    public let crossMarginSymbols: Set<Symbol>
    /// The largest difference between the local clock and the venue's that a session accepts.
    public static let maxClockSkew: Duration = .seconds(1)

    /// Runs the start-up calls in order; the first failure is one line (configuration errors
    /// name what to fix). A hedge-mode account stops before instruments are loaded.
    public static func open(transport: any HTTPTransport, credentials: LiveCredentials, symbols: [Symbol], clock: any TradingClock,
                            logger: Logger, pause: @escaping @Sendable (Duration) async -> Void) async throws(LiveRuntimeError) -> BinanceLiveSession {
        let rest = BinanceRESTClient(transport: transport, credentials: BinanceCredentials(apiKey: credentials.apiKey, hmacSecret: credentials.apiSecret),
                                     clock: clock, logger: logger)
        let client = BinanceExecutionClient(rest: rest, instruments: [], logger: logger, pause: pause)
        do throws(ExecutionError) {
            try await rest.syncServerTime()
        } catch {
            throw LiveRuntimeError("cannot read the venue's server time: \(error)")
        }
        let skew = rest.serverOffsetMilliseconds
        guard skew.magnitude <= UInt64(maxClockSkew.components.seconds * 1000) else {
            throw LiveRuntimeError("the local clock is \(skew > 0 ? "behind" : "ahead of") the venue's by \(skew.magnitude) ms (limit \(maxClockSkew)); "
                                   + "synchronise the system clock (NTP) and start again")
        }
        let venueClock = VenueClock(local: clock) { [rest] in rest.serverOffsetMilliseconds }
        let mode: PositionMode
        do throws(ExecutionError) {
            mode = try await client.positionMode()
        } catch {
            throw LiveRuntimeError("cannot read the account's position mode: \(error)")
        }
        guard mode == .oneWay else { throw LiveRuntimeError(BinanceExecutionClient.hedgeModeRefusal, code: .hedgeMode) }
        let instruments: [Instrument]
        var crossMargin: Set<Symbol> = []
        do throws(ExecutionError) {
            instruments = try await client.loadInstruments(symbols)
            for symbol in symbols {
                do {
                    try await client.setIsolatedMargin(symbol: symbol)
                } catch where error.code == -4048 || error.code == -4047 {
                    // A position (or open orders) in cross margin: it is protected as it is;
                    // the symbol switches to isolated once flat (the runtime retries then).
                    crossMargin.insert(symbol)
                    logger.warning("live.cross_margin_position", metadata: ["live.symbol": "\(symbol)", "binance.code": "\(error.code ?? 0)"])
                }
            }
        } catch {
            throw LiveRuntimeError("venue start-up failed: \(error)")
        }
        let balances: [BinanceBalance]
        do throws(ExecutionError) {
            balances = try await client.balances()
        } catch {
            throw LiveRuntimeError("cannot read the account balance: \(error)")
        }
        guard let usdt = balances.first(where: { $0.asset == "USDT" }), let wallet = try? usdt.amounts().balance else {
            throw LiveRuntimeError("the account reports no USDT wallet balance; USDⓈ-M trading sizes every entry from it")
        }
        return BinanceLiveSession(client: client, instruments: instruments, walletBalance: wallet, clock: venueClock,
                                  crossMarginSymbols: crossMargin)
    }
}
