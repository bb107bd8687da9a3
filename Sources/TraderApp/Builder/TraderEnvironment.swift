import Alerts
import BinanceFutures
import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel
import UnixSignals

/// What a built trader takes from the outside world. `qt` passes `TraderEnvironment()` (the
/// process environment, the system clock, real transports, SIGINT/SIGTERM); tests replace what
/// they fake (a store, a venue transport and connector, a clock, the stop signal).
public struct TraderEnvironment: Sendable {
    /// Environment variables (API keys, store URL, alert secrets, `QT_LOCK_DIR`).
    public var variables: [String: String]
    /// The key file given with `--key-file` (outside the repository, mode 600).
    public var keyFile: String?
    /// The enclosing git work tree (a key file must not be in it).
    public var repositoryRoot: String?
    public var clock: any TradingClock
    /// The trade store; nil opens the one `[storage]` names.
    public var store: (any TradeStore)?
    /// The REST transport of a live session; nil: AsyncHTTPClient at `[live] rest_url`.
    public var transport: (any HTTPTransport)?
    /// The WebSocket connector of a live session; nil: `WSClientConnector`.
    public var connector: (any WebSocketConnector)?
    /// The alert services' transports, waits and codes; nil: the real ones on `clock`.
    public var alerts: AlertServices.Environment?
    /// Also given every runtime alert at once (the terminal); nil: none.
    public var console: (any Alerting)?
    public var logger: Logger
    /// Timer ticks of a real-time runtime (close requests, manual halts, staleness).
    public var timerInterval: Duration
    /// The signals that stop the session gracefully.
    public var signals: [UnixSignal]
    /// An extra stop request (tests): returning stops the session as a signal does.
    public var shutdown: (@Sendable () async -> Void)?
    /// Where live sessions take their account locks; nil: `LiveLock.defaultDirectory`.
    public var lockDirectory: String?
    /// Lines for the terminal while services start (the dashboard's address).
    public var say: @Sendable (String) -> Void
    /// Sees the runtime's state after every input, besides the alert rules and the dashboard.
    public var observer: (any RuntimeObserver)?

    public init(variables: [String: String] = [:], keyFile: String? = nil, repositoryRoot: String? = nil,
                clock: any TradingClock = SystemClock(), store: (any TradeStore)? = nil, transport: (any HTTPTransport)? = nil,
                connector: (any WebSocketConnector)? = nil, alerts: AlertServices.Environment? = nil, console: (any Alerting)? = nil,
                logger: Logger = Logger(label: "qt"), timerInterval: Duration = .seconds(1), signals: [UnixSignal] = [.sigint, .sigterm],
                shutdown: (@Sendable () async -> Void)? = nil, lockDirectory: String? = nil,
                say: @escaping @Sendable (String) -> Void = { _ in }, observer: (any RuntimeObserver)? = nil) {
        self.variables = variables
        self.keyFile = keyFile
        self.repositoryRoot = repositoryRoot
        self.clock = clock
        self.store = store
        self.transport = transport
        self.connector = connector
        self.alerts = alerts
        self.console = console
        self.logger = logger
        self.timerInterval = timerInterval
        self.signals = signals
        self.shutdown = shutdown
        self.lockDirectory = lockDirectory
        self.say = say
        self.observer = observer
    }
}
