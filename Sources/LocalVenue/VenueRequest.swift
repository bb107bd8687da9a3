/// One REST request as the venue sees it: method, path, the raw (still percent-encoded) query
/// and body, the API-key header, and the decoded parameters (query wins over body, as on Binance).
public struct VenueRequest: Sendable, Hashable {
    public var method: String
    public var path: String
    public var rawQuery: String
    public var rawBody: String
    public var apiKey: String?
    public private(set) var parameters: [String: String]

    public init(method: String, path: String, rawQuery: String, rawBody: String, apiKey: String?) {
        self.method = method.uppercased()
        self.path = path
        self.rawQuery = rawQuery
        self.rawBody = rawBody
        self.apiKey = apiKey
        var parameters = VenueRequest.decodeForm(rawBody)
        for (name, value) in VenueRequest.decodeForm(rawQuery) { parameters[name] = value }
        self.parameters = parameters
    }

    public subscript(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    /// `METHOD path`, the key of the route table.
    public var route: String { "\(method) \(path)" }

    /// `a=1&b=2` → dictionary, percent-decoded (`+` is a space in form bodies).
    static func decodeForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(String(parts[0]))
            result[name] = parts.count > 1 ? percentDecode(String(parts[1])) : ""
        }
        return result
    }

    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
