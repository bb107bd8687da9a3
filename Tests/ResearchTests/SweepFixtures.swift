import Foundation
@testable import Research

/// A scratch folder with a base configuration, small data files, a sweep manifest and a fake
/// `qt` script that prints a JSON result derived from its `--set` arguments.
struct SweepFixtures {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "qt-sweep-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        try "[strategy]\nname = \"ema-cross\"\n".write(toFile: directory + "/base.toml", atomically: true, encoding: .utf8)
        for symbol in ["LINKUSDT", "FILUSDT"] {
            try "open_time_ms\n".write(toFile: directory + "/data/\(symbol)-1m.csv", atomically: true, encoding: .utf8)
        }
        // Fails for fast_period=99; prints noise, then one JSON line.
        let script = """
        #!/bin/sh
        args="$*"
        case "$args" in *fast_period=99*) echo "error: the strategy refused fast_period 99" >&2; exit 3;; esac
        fast=$(echo "$args" | sed -n 's/.*strategy.fast_period=\\([0-9]*\\).*/\\1/p')
        slow=$(echo "$args" | sed -n 's/.*strategy.slow_period=\\([0-9]*\\).*/\\1/p')
        case "$args" in *--no-store*--json*) ;; *) echo "missing --no-store --json" >&2; exit 4;; esac
        echo "some progress text"
        echo "{\\"net_pnl\\":$((slow - fast)).25000000,\\"trades\\":$fast,\\"profit_factor\\":1.5,\\"win_rate_pct\\":50.0,\\"max_drawdown_pct\\":2.0}"
        """
        try script.write(toFile: directory + "/fake-qt", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory + "/fake-qt")
    }

    var fakeQt: String { directory + "/fake-qt" }

    /// A manifest over `fast` × `slow` on both datasets, written to the scratch folder.
    func manifest(fast: [Int], slow: [Int], name: String = "grid", extra: String = "") throws -> SweepManifest {
        let text = """
        [sweep]
        name = "\(name)"
        config = "\(directory)/base.toml"
        metric = "net_pnl"
        output = "\(directory)/sweeps"
        \(extra)

        [grid]
        "strategy.fast_period" = [\(fast.map(String.init).joined(separator: ", "))]
        "strategy.slow_period" = [\(slow.map(String.init).joined(separator: ", "))]

        [datasets]
        LINKUSDT = ["\(directory)/data/LINKUSDT-1m.csv"]
        FILUSDT = ["\(directory)/data/FILUSDT-1m.csv"]
        """
        try text.write(toFile: directory + "/\(name).toml", atomically: true, encoding: .utf8)
        return try SweepManifest.load(path: directory + "/\(name).toml")
    }

    /// What the fake qt prints for a unit (so the Ray fake can answer the same).
    static func expectedJSON(arguments: [String]) -> String {
        func value(_ key: String) -> Int {
            arguments.first { $0.hasPrefix(key + "=") }.flatMap { Int($0.dropFirst(key.count + 1)) } ?? 0
        }
        let fast = value("strategy.fast_period"), slow = value("strategy.slow_period")
        return "{\"net_pnl\":\(slow - fast).25000000,\"trades\":\(fast),\"profit_factor\":1.5,\"win_rate_pct\":50.0,\"max_drawdown_pct\":2.0}"
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }
}
