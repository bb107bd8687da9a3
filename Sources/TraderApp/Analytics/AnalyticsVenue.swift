import AsyncHTTPClient
import BinanceFutures
import Logging
import TradingEngine

/// The venue access of the analytics commands (`qt flow --venue`, `qt diagnose --venue`).
enum AnalyticsVenue {
    /// A signed REST client for the account behind `credentials` at `live.restURL` (`transport`
    /// replaces the HTTP client in tests). Read-only use: the analytics never place or cancel orders.
    static func restClient(live: LiveSettings, credentials: LiveCredentials, clock: any TradingClock, transport: (any HTTPTransport)?,
                           logger: Logger) -> BinanceRESTClient {
        BinanceRESTClient(transport: transport ?? AsyncHTTPClientTransport(client: HTTPClient.shared, baseURL: live.restURL),
                          credentials: BinanceCredentials(apiKey: credentials.apiKey, hmacSecret: credentials.apiSecret),
                          clock: clock, logger: logger)
    }
}
