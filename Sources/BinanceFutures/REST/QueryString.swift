/// An ordered list of request parameters, percent-encoded exactly once. The signature is
/// computed over `encoded` and appended last, so what is signed is byte-for-byte what is sent.
public struct QueryString: Sendable, Hashable, CustomStringConvertible {
    public private(set) var items: [(name: String, value: String)] = []

    public init() {}

    public init(_ items: [(String, String)]) {
        for (name, value) in items { append(name, value) }
    }

    public mutating func append(_ name: String, _ value: String) { items.append((name, value)) }

    public mutating func append(_ name: String, _ value: String?) {
        if let value { items.append((name, value)) }
    }

    public func value(_ name: String) -> String? { items.first { $0.name == name }?.value }

    /// `name=value&…` with RFC 3986 percent-encoding (only `A–Z a–z 0–9 - _ . ~` left as is).
    public var encoded: String {
        items.map { "\(QueryString.percentEncode($0.name))=\(QueryString.percentEncode($0.value))" }.joined(separator: "&")
    }

    public var description: String { encoded }

    public static func percentEncode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            let unreserved = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
                || byte == 45 || byte == 95 || byte == 46 || byte == 126
            if unreserved {
                output.append(byte)
            } else {
                output.append(37)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    public static func == (lhs: QueryString, rhs: QueryString) -> Bool { lhs.encoded == rhs.encoded }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoded) }
}
