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
