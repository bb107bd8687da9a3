import TradingModel

/// Splits one CSV line into field byte ranges and parses fields without creating strings.
///
/// Holds a small reusable array of field bounds so that splitting a row allocates nothing.
/// Fields are plain (Binance kline CSVs have no quoting). Hot path: one pass over the bytes.
struct FieldScanner {
    /// Field `i` is `line[starts[i]..<ends[i]]`; only the first `expectedCount` are recorded.
    private(set) var starts: [Int]
    private(set) var ends: [Int]
    let expectedCount: Int

    init(expectedCount: Int) {
        self.expectedCount = expectedCount
        starts = Array(repeating: 0, count: expectedCount)
        ends = Array(repeating: 0, count: expectedCount)
    }

    /// Records the field bounds of `line` and returns the total number of fields found.
    mutating func split(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var fieldIndex = 0
        var fieldStart = 0
        let limit = expectedCount
        starts.withUnsafeMutableBufferPointer { starts in
            ends.withUnsafeMutableBufferPointer { ends in
                for position in 0..<line.count where line[position] == 0x2C {
                    if fieldIndex < limit {
                        starts[fieldIndex] = fieldStart
                        ends[fieldIndex] = position
                    }
                    fieldIndex += 1
                    fieldStart = position + 1
                }
                if fieldIndex < limit {
                    starts[fieldIndex] = fieldStart
                    ends[fieldIndex] = line.count
                }
            }
        }
        return fieldIndex + 1
    }

    /// The bytes of field `index` (after a successful `split`).
    @inline(__always)
    func field(_ index: Int, of line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[starts[index]..<ends[index]])
    }
}

/// Byte-level number parsing shared by the candle and funding readers.
enum FieldParsing {
    /// A non-negative decimal integer of at most 18 digits (millisecond times, trade counts).
    @inline(__always)
    static func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }

    /// True for `nan`, `inf`, `infinity` in any case, with an optional sign: text that a float
    /// writer produced for a non-finite value, reported as `notFinite` rather than `unparsable`.
    static func isNonFiniteText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = String(decoding: bytes, as: UTF8.self).lowercased()
        if text.hasPrefix("-") || text.hasPrefix("+") { text.removeFirst() }
        return text == "nan" || text == "inf" || text == "infinity"
    }

    /// The field's text, for error messages only (cut to 40 characters).
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return bytes.count > 40 ? text + "…" : text
    }
}
