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
///
/// The generator holds no `String`: the run tag lives in the inline prefix bytes (`runTag` reads
/// it back), so a generator is copied without reference counting.
public struct ClientOrderIDGenerator: Sendable, Hashable {
    public private(set) var sequence: Int64
    /// `qt-<runTag>-` as UTF-8 bytes, inline (at most 16 bytes: no allocation per generator).
    @usableFromInline let prefix: InlineBytes16

    /// The run tag: the prefix's bytes between `qt-` and the last `-` (at most 12 bytes, so the
    /// string is small and made without allocating).
    public var runTag: String {
        let count = Int(prefix.count) - 4
        return String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count { buffer[index] = prefix[3 + index] }
            return count
        }
    }

    /// `runTag`: up to 12 characters from the allowed set (e.g. a run number or session tag).
    public init(runTag: String, startingAt sequence: Int64 = 0) {
        let prefix = runTag.withUTF8Bytes { tag -> InlineBytes16? in
            guard tag.count <= 12, tag.allSatisfy(ClientOrderID.allowed) else { return nil }
            var prefix = InlineBytes16()
            prefix.append(UInt8(ascii: "q"))
            prefix.append(UInt8(ascii: "t"))
            prefix.append(UInt8(ascii: "-"))
            for byte in tag { prefix.append(byte) }
            prefix.append(UInt8(ascii: "-"))
            return prefix
        }
        guard let prefix else { preconditionFailure("invalid run tag \(runTag)") }
        self.sequence = sequence
        self.prefix = prefix
    }

    @usableFromInline
    init(prefix: InlineBytes16, sequence: Int64) {
        self.prefix = prefix
        self.sequence = sequence
    }

    /// A new generator (sequence 0) whose run tag is this one's followed by `separator` and
    /// `number` (an exit owner's `<runTag>p<position number>`), written byte by byte from this
    /// prefix: nothing is formatted, parsed or validated again. `separator` must be an allowed
    /// byte and `number` ≥ 0; stops the program when the tag would pass 12 bytes, as
    /// `init(runTag:)` does.
    public func derived(separator: UInt8, _ number: Int64) -> ClientOrderIDGenerator {
        precondition(number >= 0 && ClientOrderID.allowed(separator), "invalid derived run tag")
        let digitCount = Self.decimalDigitCount(number.magnitude)
        let tagCount = Int(prefix.count) - 4 + 1 + digitCount
        guard tagCount <= 12 else { preconditionFailure("derived run tag longer than 12 bytes") }
        var bytes = InlineBytes16()
        for index in 0..<(Int(prefix.count) - 1) { bytes.append(prefix[index]) }
        bytes.append(separator)
        var divisor: Int64 = 1
        for _ in 1..<digitCount { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        bytes.append(UInt8(ascii: "-"))
        return ClientOrderIDGenerator(prefix: bytes, sequence: 0)
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

    /// How many decimal digits `value` is written with (1 for 0).
    @inline(__always)
    static func decimalDigitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    /// `<prefix><sequence>-<purpose code>`; stops the program when longer than Binance's 36 bytes.
    static func format(prefix: InlineBytes16, sequence: Int64, purpose: OrderPurpose) -> String {
        var magnitude = sequence.magnitude
        let digitCount = decimalDigitCount(magnitude)
        let negative = sequence < 0
        let prefixCount = Int(prefix.count)
        let count = prefixCount + (negative ? 1 : 0) + digitCount + 3
        guard count <= 36 else { preconditionFailure("client order id overflow") }
        let code = purpose.codeBytes
        return String(unsafeUninitializedCapacity: count) { buffer in
            var position = 0
            while position < prefixCount {
                buffer[position] = prefix[position]
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
