import CZlib
import Foundation

/// Writes small fixture files into a fresh temporary directory per test (gzip through zlib).
struct FixtureDirectory {
    let url: URL

    /// A directory unique to `name` and this process; emptied first.
    init(_ name: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("CandleDataTests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ fileName: String) -> String { url.appendingPathComponent(fileName).path }

    /// Writes `text` gzip-compressed with zlib; returns the path.
    @discardableResult
    func writeGzip(_ fileName: String, _ text: String) throws -> String {
        let target = path(fileName)
        guard let file = gzopen(target, "wb") else { throw FixtureError.cannotWrite(target) }
        var bytes = Array(text.utf8)
        let written = bytes.withUnsafeMutableBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(file) == Z_OK, Int(written) == bytes.count else { throw FixtureError.cannotWrite(target) }
        bytes.removeAll()
        return target
    }

    /// Writes `text` as is; returns the path.
    @discardableResult
    func writePlain(_ fileName: String, _ text: String) throws -> String {
        let target = path(fileName)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Replaces a file with its first `fraction` of bytes (a download cut short).
    func truncate(_ path: String, keeping fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }

    /// Inverts `count` bytes in the middle of a file (bit rot).
    func corrupt(_ path: String, count: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let middle = data.count / 2
        for index in middle..<(middle + count) { data[index] = ~data[index] }
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Names and contents of every file in the directory (to prove the reader wrote nothing).
    func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            result[name] = try Data(contentsOf: url.appendingPathComponent(name))
        }
        return result
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

enum FixtureError: Error { case cannotWrite(String) }

/// Kline CSV text builders.
enum KlineText {
    static let header = "open_time_ms,open,high,low,close,volume,quote_volume,trades,taker_buy_volume"
    /// 2026-02-01T00:00:00Z in ms.
    static let february2026: Int64 = 1_769_904_000_000

    /// The header plus `rows`, each line ending in `\n`.
    static func file(_ rows: [String]) -> String { ([header] + rows).map { $0 + "\n" }.joined() }

    /// `count` valid 1m rows from `start`, prices drifting by 0.001 per bar.
    static func minuteRows(count: Int, start: Int64 = february2026) -> [String] {
        (0..<count).map { index in
            let base = 10_000 + index % 500
            let open = "\(base / 1000).\(String(format: "%03d", base % 1000))"
            let close = "\((base + 1) / 1000).\(String(format: "%03d", (base + 1) % 1000))"
            return "\(start + Int64(index) * 60_000),\(open),\((base + 5) / 1000).\(String(format: "%03d", (base + 5) % 1000)),"
                + "\((base - 5) / 1000).\(String(format: "%03d", (base - 5) % 1000)),\(close),100.5,1005.25,\(index % 90),50.25"
        }
    }
}
