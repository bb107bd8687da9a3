import Foundation
import Testing
import TraderApp
import TradingModel

/// Two `qt live` sessions on one store or one account refuse; run tags never collide.
/// Each `LiveLock` stands for one process: `flock` locks belong to an open file, so two holders
/// in one test process conflict exactly as two processes do.
@Suite("One live session per store and per account; run tags never collide")
struct LiveLockTests {
    let directory: String
    let start = Timestamp(milliseconds: 1_764_028_800_000)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-locks-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func acquire(store: String, key: String, at time: Timestamp? = nil, pid: Int32 = 111) throws(LiveRuntimeError) -> LiveLock {
        try LiveLock.acquire(storePath: directory + "/" + store, restHost: "fapi.binance.com", apiKey: key, lockDirectory: directory + "/locks",
                             now: time ?? start, pid: pid)
    }

    @Test func aSecondSessionOnTheSameStoreIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try acquire(store: "qt.sqlite", key: "key-A", pid: 4242)
        #expect { try acquire(store: "qt.sqlite", key: "key-B") } throws: { error in
            "\(error)".contains("store") && "\(error)".contains("pid 4242") && !"\(error)".contains("key-B")
        }
        first.release()
        let again = try acquire(store: "qt.sqlite", key: "key-B")
        again.release()
    }

    @Test func aSecondSessionOnTheSameAccountIsRefusedWhateverTheStore() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try acquire(store: "a.sqlite", key: "key-A", pid: 4243)
        #expect { try acquire(store: "b.sqlite", key: "key-A") } throws: { error in
            "\(error)".contains("account") && "\(error)".contains("pid 4243") && !"\(error)".contains("key-A")
        }
        // Another account on another store runs beside it.
        let other = try acquire(store: "c.sqlite", key: "key-C")
        // The refused attempt released the store lock it had taken: b.sqlite is free.
        let onB = try acquire(store: "b.sqlite", key: "key-D")
        for lock in [first, other, onB] { lock.release() }
    }

    /// A session restarted within the same second (a crash, a supervisor restart) gets the next
    /// tag, not the dead session's: its client ids cannot be mistaken for the old orders.
    @Test func runTagsOfOneAccountNeverCollide() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var tags: [String] = []
        for _ in 0..<3 {
            let lock = try acquire(store: "qt.sqlite", key: "key-A")
            tags.append(lock.runTag)
            lock.release()
        }
        #expect(Set(tags).count == 3 && tags.allSatisfy { $0.utf8.count == 5 })
        #expect(tags[0] == LiveLock.runTag(start: start))
        #expect(tags.map { Int($0, radix: 36)! } == [0, 1, 2].map { Int(1_764_028_800 % 60_466_176) + $0 })
        // Later sessions use their own start second again.
        let later = try acquire(store: "qt.sqlite", key: "key-A", at: start.advanced(by: .seconds(3600)))
        #expect(later.runTag == LiveLock.runTag(start: start.advanced(by: .seconds(3600))))
        later.release()
    }
}
