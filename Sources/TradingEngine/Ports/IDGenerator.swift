import TradingModel

/// Purpose of an order, encoded in its client id so a person (and reconciliation) can tell
/// what an order was for.
public enum OrderPurpose: String, Sendable, Hashable, Codable {
    case entry = "en"
    case exit = "ex"
    case takeProfit = "tp"
    case stopLoss = "sl"
    case backstop = "bs"
    case flatten = "fl"
}

/// Deterministic client order ids: `qt-<run>-<sequence>-<purpose>`, unique per intent and within
/// Binance's `^[.A-Z:/a-z0-9_-]{1,36}$`. The sequence is injected state, never random.
public struct ClientOrderIDGenerator: Sendable, Hashable {
    public let runTag: String
    public private(set) var sequence: Int64
    /// `qt-<runTag>-` as UTF-8 bytes (derived from `runTag`, so equality is unchanged).
    @usableFromInline let prefix: [UInt8]

    /// `runTag`: up to 12 characters from the allowed set (e.g. a run number or session tag).
    public init(runTag: String, startingAt sequence: Int64 = 0) {
        precondition(runTag.utf8.count <= 12 && runTag.utf8.allSatisfy(ClientOrderID.allowed), "invalid run tag \(runTag)")
        self.runTag = runTag
        self.sequence = sequence
        self.prefix = Array("qt-\(runTag)-".utf8)
    }

    /// The next id. Hot path (every order): the text is written byte by byte, without string
    /// interpolation, and not re-validated (the run tag was checked once; digits, `-` and the
    /// purpose code are allowed bytes; the length is checked). Up to 15 bytes stay inline (no
    /// allocation). Debug builds check it equals `qt-<run>-<sequence>-<purpose>` formatted the slow way.
    public mutating func next(_ purpose: OrderPurpose) -> ClientOrderID {
        sequence += 1
        let text = Self.format(prefix: prefix, sequence: sequence, purpose: purpose)
        assert(text == "qt-\(runTag)-\(sequence)-\(purpose.rawValue)", "client order id formatting differs: \(text)")
        return ClientOrderID(prevalidated: text)
    }

    /// `<prefix><sequence>-<purpose code>`; stops the program when longer than Binance's 36 bytes.
    static func format(prefix: [UInt8], sequence: Int64, purpose: OrderPurpose) -> String {
        var magnitude = sequence.magnitude
        var digitCount = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            digitCount += 1
        }
        let negative = sequence < 0
        let count = prefix.count + (negative ? 1 : 0) + digitCount + 3
        guard count <= 36 else { preconditionFailure("client order id overflow") }
        let code = purpose.codeBytes
        return String(unsafeUninitializedCapacity: count) { buffer in
            var position = 0
            for byte in prefix {
                buffer[position] = byte
                position += 1
            }
            if negative {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            var digit = position + digitCount - 1
            repeat {
                buffer[digit] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                digit -= 1
            } while magnitude > 0
            position += digitCount
            buffer[position] = UInt8(ascii: "-")
            buffer[position + 1] = code.0
            buffer[position + 2] = code.1
            return count
        }
    }
}

extension OrderPurpose {
    /// The two bytes of `rawValue`.
    var codeBytes: (UInt8, UInt8) {
        switch self {
        case .entry: (UInt8(ascii: "e"), UInt8(ascii: "n"))
        case .exit: (UInt8(ascii: "e"), UInt8(ascii: "x"))
        case .takeProfit: (UInt8(ascii: "t"), UInt8(ascii: "p"))
        case .stopLoss: (UInt8(ascii: "s"), UInt8(ascii: "l"))
        case .backstop: (UInt8(ascii: "b"), UInt8(ascii: "s"))
        case .flatten: (UInt8(ascii: "f"), UInt8(ascii: "l"))
        }
    }
}
