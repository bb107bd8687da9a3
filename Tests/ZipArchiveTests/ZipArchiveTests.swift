import Foundation
import Testing
import ZipArchive

@Suite struct ZipArchiveTests {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    private static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    @Test func writtenEntriesReadBackWithTheirModes() throws {
        var writer = ZipArchiveWriter()
        let binary = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        let text = Array(String(repeating: "1704067200000,42314.00,42335.80\n", count: 500).utf8)
        try writer.add(name: "qt", bytes: binary, unixMode: 0o755)
        try writer.add(name: "config/ema.toml", bytes: text)
        try writer.add(name: "empty", bytes: [])
        let reader = try ZipArchiveReader(bytes: writer.finish())
        #expect(reader.entries.map(\.name) == ["qt", "config/ema.toml", "empty"])
        #expect(reader.entries.map(\.unixMode) == [0o755, 0o644, 0o644])
        #expect(try reader.contents(of: reader.entries[0]) == binary)
        #expect(try reader.contents(of: reader.entries[1]) == text)
        #expect(reader.entries[1].method == 8, "text deflates")
        #expect(reader.entries[1].compressedSize < text.count)
        #expect(try reader.contents(of: reader.entries[2]).isEmpty)
    }

    /// The same entries give the same bytes (packages are named by a hash of their content).
    @Test func writingIsDeterministic() throws {
        func build() throws -> [UInt8] {
            var writer = ZipArchiveWriter()
            try writer.add(name: "a.txt", bytes: Array("alpha".utf8))
            try writer.add(name: "bin/qt", bytes: Array(repeating: 0x90, count: 4096), unixMode: 0o755)
            return writer.finish()
        }
        #expect(try build() == build())
    }

    /// Archives from other writers: data descriptors (Python streaming) and Info-ZIP's Unix modes.
    @Test func readsForeignArchives() throws {
        let python = try ZipArchiveReader(bytes: Self.fixture("python-streamed.zip"))
        #expect(python.entries.map(\.name) == ["BTCUSDT-1m-2024-01.csv", "notes/readme.txt"])
        let csv = String(decoding: try python.contents(of: python.entries[0]), as: UTF8.self)
        #expect(csv.hasPrefix("open_time,open,high,low,close,volume,close_time"))
        #expect(String(decoding: try python.contents(of: python.entries[1]), as: UTF8.self) == "stored entry\n")

        let infozip = try ZipArchiveReader(bytes: Self.fixture("infozip-exec.zip"))
        #expect(infozip.entry(named: "bin/run.sh")?.unixMode == 0o755)
        #expect(infozip.entry(named: "data.txt")?.unixMode == 0o644)
        let data = try infozip.contents(of: try #require(infozip.entry(named: "data.txt")))
        #expect(data.count == 500)
    }

    @Test func damagedDataFailsTheCRC() throws {
        var writer = ZipArchiveWriter()
        try writer.add(name: "x.bin", bytes: [17, 203, 4, 99, 250, 31, 8, 142, 77, 5, 230, 61, 190, 12], unixMode: 0o644)
        var bytes = writer.finish()
        let reader = try ZipArchiveReader(bytes: bytes)
        // The stored entry's data starts after the 30-byte local header and the 5-byte name.
        #expect(reader.entries[0].method == 0)
        bytes[30 + 5 + 3] ^= 0xFF
        let damaged = try ZipArchiveReader(bytes: bytes)
        #expect(throws: ZipArchiveError.self) { try damaged.contents(of: damaged.entries[0]) }
        do {
            _ = try damaged.contents(of: damaged.entries[0])
        } catch {
            #expect(error.kind == .checksumMismatch)
            #expect(error.entry == "x.bin")
        }
    }

    @Test func corruptDeflateStreamIsAnError() throws {
        var writer = ZipArchiveWriter()
        try writer.add(name: "big.csv", bytes: Array(String(repeating: "abc,def,123\n", count: 2000).utf8))
        var bytes = writer.finish()
        for offset in 40..<60 { bytes[offset] = 0xFF }
        let reader = try ZipArchiveReader(bytes: bytes)
        #expect(throws: ZipArchiveError.self) { try reader.contents(of: reader.entries[0]) }
    }

    /// Cut archives, garbage and empty input are typed errors, never traps.
    @Test(arguments: [0, 10, 21, 100, 200])
    func truncatedArchivesAreRefused(keep: Int) throws {
        var writer = ZipArchiveWriter()
        try writer.add(name: "a.csv", bytes: Array(String(repeating: "1,2,3\n", count: 50).utf8))
        let bytes = writer.finish()
        #expect(throws: ZipArchiveError.self) {
            let reader = try ZipArchiveReader(bytes: Array(bytes.prefix(min(keep, bytes.count - 1))))
            _ = try reader.contents(of: reader.entries[0])
        }
    }

    @Test func directoryPointingOutsideIsRefused() throws {
        var writer = ZipArchiveWriter()
        try writer.add(name: "a.csv", bytes: Array("x".utf8))
        var bytes = writer.finish()
        // The end record's directory offset is its last 6..2 bytes: point it past the end.
        let at = bytes.count - 6
        bytes[at] = 0xF0
        bytes[at + 1] = 0xFF
        #expect(throws: ZipArchiveError.self) { _ = try ZipArchiveReader(bytes: bytes) }
    }
}
