import BinanceFutures
import Foundation
import Logging
import Testing
import TradingEngine
import TradingModel

@Suite("Request signing and secrets")
struct SigningTests {
    /// Expected values computed independently with Python's hmac module, not taken from Binance docs:
    /// python3 -c 'import hmac,hashlib;print(hmac.new(b"qt-test-secret-0123456789ABCDEFghijklmnop",
    ///   b"symbol=ATOMUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.50&price=9.999&newClientOrderId=qt-r1-1-en&recvWindow=5000&timestamp=1700000000000",
    ///   hashlib.sha256).hexdigest())'
    @Test func hmacSignatureMatchesIndependentComputation() throws {
        let (client, transport, _, _, _) = makeClient([failure(400, code: -2010, "stop here")])
        _ = client
        let rest = BinanceRESTClient(transport: transport, credentials: BinanceCredentials(apiKey: testAPIKey, hmacSecret: testSecret),
                                     clock: ManualClock(Timestamp(milliseconds: 1_700_000_000_000)), logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let query = QueryString([("symbol", "ATOMUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                 ("quantity", "1.50"), ("price", "9.999"), ("newClientOrderId", "qt-r1-1-en")])
        let request = try rest.buildRequest(.post, "/fapi/v1/order", query, security: .signed)
        #expect(request.query == "symbol=ATOMUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1.50&price=9.999"
            + "&newClientOrderId=qt-r1-1-en&recvWindow=5000&timestamp=1700000000000"
            + "&signature=9560b10e1e475dcfcfe6ff5a615a553741dad923037ce97eae1827e791fccdde")
        #expect(request.headers["X-MBX-APIKEY"] == testAPIKey)
        #expect(request.body.isEmpty)
        #expect(pairs(request.query).last?.0 == "signature")
    }

    /// The signature covers the percent-encoded bytes (`:` → %3A, `/` → %2F), as sent.
    /// python3 -c 'import hmac,hashlib;print(hmac.new(b"qt-test-secret-0123456789ABCDEFghijklmnop",
    ///   b"symbol=ATOMUSDT&origClientOrderId=qt%3Aa%2Fb&recvWindow=5000&timestamp=1700000000123", hashlib.sha256).hexdigest())'
    @Test func signsTheEncodedQuery() throws {
        let rest = BinanceRESTClient(transport: ScriptedTransport([]), credentials: BinanceCredentials(apiKey: testAPIKey, hmacSecret: testSecret),
                                     clock: ManualClock(Timestamp(milliseconds: 1_700_000_000_123)), logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let request = try rest.buildRequest(.get, "/fapi/v1/order", QueryString([("symbol", "ATOMUSDT"), ("origClientOrderId", "qt:a/b")]), security: .signed)
        #expect(request.query == "symbol=ATOMUSDT&origClientOrderId=qt%3Aa%2Fb&recvWindow=5000&timestamp=1700000000123"
            + "&signature=ca6bb6d1afdd6414bd8d552b35739faa2e22dfdf963ace600c31642ffa2eec1d")
    }

    /// Ed25519 seed 00 01 … 1f; expected signature from Python `cryptography` (Ed25519 is deterministic):
    /// Ed25519PrivateKey.from_private_bytes(bytes(range(32))).sign(b"symbol=ATOMUSDT&side=BUY&type=MARKET&quantity=2.00&recvWindow=5000&timestamp=1700000000000")
    @Test func ed25519SignatureIsBase64AndURLEncoded() throws {
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n-----END PRIVATE KEY-----\n"
        let credentials = try BinanceCredentials(apiKey: testAPIKey, ed25519PEM: pem)
        let rest = BinanceRESTClient(transport: ScriptedTransport([]), credentials: credentials,
                                     clock: ManualClock(Timestamp(milliseconds: 1_700_000_000_000)), logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let request = try rest.buildRequest(.post, "/fapi/v1/order", QueryString([("symbol", "ATOMUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "2.00")]), security: .signed)
        #expect(request.query.hasSuffix("&signature=RF8k6xiwaq1TfINWs080ygIwuKZqdLScBu8kZfXMrVKvSZD9MB1h8lVdJKBtCLRlRVDJmeLo5xRejVNjPC7ZDg%3D%3D"))
        #expect(throws: BinanceConfigurationError.self) { try BinanceCredentials(apiKey: "k", ed25519PEM: "not a key") }
    }

    @Test func publicEndpointsCarryNoKeyAndNoSignature() throws {
        let rest = BinanceRESTClient(transport: ScriptedTransport([]), credentials: nil, clock: ManualClock(), logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        let request = try rest.buildRequest(.get, "/fapi/v1/exchangeInfo", QueryString(), security: .none)
        #expect(request.headers.isEmpty && request.query.isEmpty)
        #expect(throws: ExecutionError.self) { try rest.buildRequest(.get, "/fapi/v3/account", QueryString(), security: .signed) }
    }

    @Test func credentialsAreRedactedEverywhere() throws {
        let credentials = BinanceCredentials(apiKey: testAPIKey, hmacSecret: testSecret)
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains(testAPIKey) && !text.contains(testSecret))
        }
    }

    /// A full failing flow (signed call rejected, rate-limited, unknown status resolved) never
    /// puts the key or secret into an error or a log line.
    @Test func keysNeverAppearInErrorsOrLogs() async throws {
        let (client, _, _, logs, _) = makeClient([
            failure(400, code: -1022, "Signature for this request is not valid."),
            .failure(.timedOut), failure(400, code: -2013, "Order does not exist."), failure(400, code: -2013, "Order does not exist."),
            failure(400, code: -2013, "Order does not exist."), failure(400, code: -2013, "Order does not exist."),
            failure(429, code: -1003, "Too many requests.", headers: [("Retry-After", "3")]),
        ])
        var errors: [ExecutionError] = []
        let order = OrderRequest(clientOrderID: ClientOrderID("qt-r1-1-en")!, symbol: "ATOMUSDT", side: .buy, type: .market, quantity: Quantity("1.00")!)
        for _ in 0..<3 {
            do { _ = try await client.submit(order) } catch { errors.append(error) }
        }
        #expect(errors.count == 3)
        let text = errors.map { "\($0) \($0.message) \(String(reflecting: $0))" }.joined() + logs.all
        #expect(!text.contains(testAPIKey))
        #expect(!text.contains(testSecret))
        #expect(!logs.lines.isEmpty)
    }
}
