import Foundation
import Crypto
import TradingModel

/// Checks API keys, HMAC-SHA256 signatures and timestamps like Binance (General Info, "SIGNED
/// Endpoint Security" and "Timing Security").
///
/// The signed payload is the query string exactly as received, concatenated with the body, with
/// the `signature` parameter removed from wherever it was (it must be last). A request is inside
/// the window when `timestamp < serverTime + 1000` and `serverTime − timestamp ≤ recvWindow`.
public struct VenueAuthenticator: Sendable {
    /// API key → HMAC secret.
    public var secrets: [String: String]

    public init(secrets: [String: String]) { self.secrets = secrets }

    public enum Security: Sendable, Hashable { case none, apiKey, signed }

    public func check(_ request: VenueRequest, security: Security, serverTime: Timestamp) -> VenueError? {
        guard security != .none else { return nil }
        guard let key = request.apiKey, !key.isEmpty else { return .missingAPIKey }
        guard let secret = secrets[key] else { return .rejectedAPIKey }
        guard security == .signed else { return nil }
        guard let (payload, signature) = VenueAuthenticator.split(query: request.rawQuery, body: request.rawBody) else {
            return .missing("signature")
        }
        let expected = VenueAuthenticator.hmacHex(payload, secret: secret)
        guard expected == signature.lowercased() else { return .badSignature }
        guard let text = request["timestamp"], let timestamp = Int64(text) else { return .missing("timestamp") }
        let window = request["recvWindow"].flatMap { Int64($0) } ?? 5000
        guard window > 0, window <= 60_000 else { return VenueError(code: -1131, message: "recvWindow must be less than 60000") }
        if timestamp >= serverTime.milliseconds + 1000 { return .timestampAhead }
        if serverTime.milliseconds - timestamp > window { return .timestampOutsideWindow }
        return nil
    }

    /// `(totalParams without signature, signature)`; nil when there is no trailing `signature=`.
    static func split(query: String, body: String) -> (String, String)? {
        for (text, isQuery) in [(query, true), (body, false)] {
            guard let range = text.range(of: "signature=", options: .backwards) else { continue }
            let before = text[..<range.lowerBound]
            guard before.isEmpty || before.hasSuffix("&") else { continue }
            let signature = String(text[range.upperBound...])
            guard !signature.contains("&") else { return nil }
            let stripped = String(before.dropLast(before.isEmpty ? 0 : 1))
            return isQuery ? (stripped + body, signature) : (query + stripped, signature)
        }
        return nil
    }

    static func hmacHex(_ payload: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in mac {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
