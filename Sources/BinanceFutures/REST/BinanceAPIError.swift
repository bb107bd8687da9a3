import Foundation
import TradingEngine
import TradingModel

/// The body of a Binance error response: `{"code": -2019, "msg": "Margin is insufficient."}`.
public struct BinanceAPIError: Sendable, Hashable, Decodable {
    public var code: Int
    public var msg: String

    public init(code: Int, msg: String) {
        self.code = code
        self.msg = msg
    }

    /// Parses an error body; nil when it is not one (an HTML page from a proxy, an empty 503).
    public static func parse(_ body: [UInt8]) -> BinanceAPIError? {
        try? JSONDecoder().decode(BinanceAPIError.self, from: Data(body))
    }

    /// The ban end in a `-1003` message ("... banned until 1615183669840 ..."), when present.
    public var bannedUntil: Timestamp? {
        guard let range = msg.range(of: "banned until ") else { return nil }
        let digits = msg[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int64(digits).map(Timestamp.init(milliseconds:))
    }
}
