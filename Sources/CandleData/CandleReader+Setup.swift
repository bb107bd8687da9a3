import TradingModel

/// Header check and interval inference, shared by the readers.
extension CandleReader {
    /// Reads line 1 and requires it to equal `expected` exactly.
    static func checkHeader(_ lines: TextLineReader, expected: String) throws(CandleDataError) {
        guard let header = try lines.nextLine() else {
            throw CandleDataError(.emptyFile, file: lines.path, line: 1, detail: "no header line")
        }
        guard header.elementsEqual(expected.utf8) else {
            throw CandleDataError(.wrongHeader, file: lines.path, line: 1,
                                  detail: "expected '\(expected)', found '\(DisplayText.escaped(bytes: header.prefix(200)))\(header.count > 200 ? "…" : "")'")
        }
    }

    /// The most common positive step between consecutive open times (ties: the smaller step),
    /// or nil with fewer than two parsable rows. Unparsable rows are skipped here; the main
    /// pass reports them. Compression damage is thrown.
    static func mostCommonStep(path: String) throws(CandleDataError) -> CandleInterval? {
        let lines = try TextLineReader(path: path)
        _ = try lines.nextLine()
        var counts: [Int64: Int] = [:]
        var previous: Int64?
        while let line = try lines.nextLine() {
            let comma = line.firstIndex(of: UInt8(ascii: ",")) ?? line.count
            guard let time = FieldParsing.parseInteger(UnsafeBufferPointer(rebasing: line[0..<comma])) else { continue }
            if let previous, time > previous { counts[time - previous, default: 0] += 1 }
            previous = time
        }
        let best = counts.max { lhs, rhs in lhs.value != rhs.value ? lhs.value < rhs.value : lhs.key > rhs.key }
        return best.flatMap { CandleInterval(milliseconds: $0.key) }
    }
}
