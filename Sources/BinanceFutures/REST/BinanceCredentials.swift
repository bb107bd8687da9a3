import Crypto
import Foundation

/// API key and signing secret for Binance. Never printed: `description`, `debugDescription`
/// and the reflection mirror are redacted, so a key cannot leak through logs, errors or `dump`.
public struct BinanceCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How requests are signed. Raw key bytes are kept (the Crypto key types are not `Sendable`).
    enum SigningKey: Sendable {
        /// HMAC-SHA256 with the secret key; the signature is lower-case hex.
        case hmac(secret: [UInt8])
        /// Ed25519 (RFC 8032) 32-byte seed; the signature is base64 (then URL-encoded in the query).
        case ed25519(seed: [UInt8])
    }

    let apiKey: String
    let signingKey: SigningKey

    /// HMAC-SHA256 credentials (the classic Binance key pair).
    public init(apiKey: String, hmacSecret: String) {
        self.apiKey = apiKey
        self.signingKey = .hmac(secret: Array(hmacSecret.utf8))
    }

    /// Ed25519 credentials from the 32-byte private seed.
    public init(apiKey: String, ed25519Seed seed: [UInt8]) throws(BinanceConfigurationError) {
        guard seed.count == 32, (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)) != nil else {
            throw BinanceConfigurationError(field: "ed25519 private key", reason: "expected a 32-byte seed")
        }
        self.apiKey = apiKey
        self.signingKey = .ed25519(seed: seed)
    }

    /// Ed25519 credentials from a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as Binance's key
    /// generator writes it.
    public init(apiKey: String, ed25519PEM pem: String) throws(BinanceConfigurationError) {
        let body = pem.split(whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("-----") }
            .joined()
        // PKCS#8 for Ed25519: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING seed } }.
        let prefix: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
        guard let der = Data(base64Encoded: body).map(Array.init), der.count == 48, Array(der.prefix(16)) == prefix else {
            throw BinanceConfigurationError(field: "ed25519 private key", reason: "not a PKCS#8 Ed25519 PEM")
        }
        try self.init(apiKey: apiKey, ed25519Seed: Array(der.suffix(32)))
    }

    /// The signature of `payload` as it goes on the wire, before URL encoding: lower-case hex
    /// for HMAC, base64 for Ed25519.
    func signature(of payload: String) -> String {
        switch signingKey {
        case .hmac(let secret):
            let mac = HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: SymmetricKey(data: secret))
            return mac.map { byte in
                let digits = Array("0123456789abcdef".utf8)
                return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
            }.joined()
        case .ed25519(let seed):
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed),
                  let signature = try? key.signature(for: Array(payload.utf8)) else {
                preconditionFailure("Ed25519 signing failed")
            }
            return Data(signature).base64EncodedString()
        }
    }

    /// The public half of an Ed25519 key (to register with Binance); nil for HMAC.
    public var ed25519PublicKey: [UInt8]? {
        if case .ed25519(let seed) = signingKey, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) {
            return Array(key.publicKey.rawRepresentation)
        }
        return nil
    }

    public var description: String {
        switch signingKey {
        case .hmac: "BinanceCredentials(hmac, apiKey: <redacted>)"
        case .ed25519: "BinanceCredentials(ed25519, apiKey: <redacted>)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }
}

/// A configuration value is missing or malformed (bad key file, unsupported account mode).
public struct BinanceConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "binance configuration: \(field): \(reason)" }
}
