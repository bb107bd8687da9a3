/// A `.CHECKSUM` file of the archive: one line `<64 hex digits>  <file name>` (the format of
/// `sha256sum`), e.g. `5f1c…e0  BTCUSDT-1m-2024-01.zip`.
struct ChecksumFile: Sendable, Hashable {
    /// Lower-case hex SHA-256 of the zip.
    var sha256: String
    var fileName: String

    /// Parses the text and checks that it names `expectedFileName`.
    init(text: String, expectedFileName: String, source: String) throws(HistoricalDataError) {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw HistoricalDataError(.badChecksumFile, source: source, detail: "expected '<sha256>  <file name>', found '\(line.prefix(120))'")
        }
        let digest = parts[0].lowercased()
        guard digest.utf8.count == 64, digest.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw HistoricalDataError(.badChecksumFile, source: source, detail: "'\(parts[0].prefix(80))' is not a SHA-256 in hex")
        }
        var name = parts[1].trimmingLeadingSpaces()
        if name.hasPrefix("*") { name.removeFirst() }   // sha256sum's binary-mode marker
        guard name == expectedFileName else {
            throw HistoricalDataError(.badChecksumFile, source: source, detail: "names '\(name)', expected '\(expectedFileName)'")
        }
        sha256 = digest
        fileName = name
    }
}

private extension String {
    func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }
}
