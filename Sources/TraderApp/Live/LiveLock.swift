#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Crypto
import Foundation
import TradingEngine
import TradingModel

/// The exclusive locks of one `qt live` process, held for its whole session: one next to the
/// store (`<store>.live.lock`: two sessions writing one store would mix their runs and
/// reconcile each other's positions) and one per account on this machine (in `lockDirectory`,
/// named by a hash of the REST host and the API key: two sessions trading one account would
/// close each other's positions and cancel each other's stops). Both are `flock` locks: the
/// kernel releases them when the process ends, however it ends, so a crash never leaves a
/// stale lock. A second session is refused with the holder's pid and start time.
///
/// The account lock also hands out the session's client-order-id run tag: the start second in
/// base 36 (`runTag(start:)`), moved past the last tag this account used, so two sessions
/// of one account never share a tag, even when restarted within the same second.
///
/// What it cannot see: a session of the same account on another machine.
public final class LiveLock: @unchecked Sendable {
    // @unchecked: `descriptors` is only touched under `lock`.
    private let lock = Mutex(())
    private var descriptors: [Int32]
    /// The client-order-id run tag of this session (5 base-36 characters).
    public let runTag: String
    /// The lock files held (store, account).
    public let paths: [String]

    private init(descriptors: [Int32], paths: [String], runTag: String) {
        self.descriptors = descriptors
        self.paths = paths
        self.runTag = runTag
    }

    deinit { release() }

    /// The default directory of account locks: `QT_LOCK_DIR`, else `~/.quantumtrader/locks`, else `/tmp`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let directory = environment["QT_LOCK_DIR"], !directory.isEmpty { return directory }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.quantumtrader/locks" }
        return "/tmp"
    }

    /// The account's lock name: a hash of the venue host and the API key (never the key itself).
    public static func accountName(restHost: String, apiKey: String) -> String {
        let digest = SHA256.hash(data: Array("\(restHost)\n\(apiKey)".utf8))
        return "qt-live-account-" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Takes both locks (store first) or throws naming the session that holds one; `now` is the
    /// session's start (for the run tag).
    public static func acquire(storePath: String, restHost: String, apiKey: String, lockDirectory: String,
                               now: Timestamp, pid: Int32 = getpid()) throws(LiveRuntimeError) -> LiveLock {
        let storeLock = storePath + ".live.lock"
        do {
            try FileManager.default.createDirectory(atPath: lockDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw LiveRuntimeError("cannot create the lock directory \(lockDirectory): \(error.localizedDescription)")
        }
        let accountLock = lockDirectory + "/" + accountName(restHost: restHost, apiKey: apiKey) + ".lock"
        let storeHolder = try take(storeLock, refusal: "the store \(storePath) is in use by another qt live")
        let accountHolder: (descriptor: Int32, previous: [String: String])
        do {
            accountHolder = try take(accountLock, refusal: "this account (\(restHost), same API key) is traded by another qt live on this machine")
        } catch {
            close(storeHolder.descriptor)
            throw error
        }
        let lastSecond = accountHolder.previous["last_tag_second"].flatMap { Int64($0) } ?? .min
        let second = max(max(now.milliseconds / 1000, 0), lastSecond == .min ? 0 : lastSecond + 1)
        let tag = runTag(start: Timestamp(milliseconds: second * 1000))
        let info = "pid=\(pid)\nstarted=\(now.iso8601)\nstore=\(storePath)\n"
        write(info, to: storeHolder.descriptor)
        write(info + "last_tag_second=\(second)\n", to: accountHolder.descriptor)
        return LiveLock(descriptors: [storeHolder.descriptor, accountHolder.descriptor], paths: [storeLock, accountLock], runTag: tag)
    }

    /// The client-order-id run tag of a live session: its start second modulo 36⁵ in base 36,
    /// five characters (the kernel's limit: owners and the watchdog extend it). Client ids restart
    /// at 1 in every process, so the tag must differ between sessions: a restarted bot reusing the
    /// dead one's ids would find the old orders when it resolves an unknown outcome by client id.
    /// The store's run id is not enough (a new store file starts at 1 again against the same
    /// account); sessions started in different seconds get different tags for 36⁵ s (≈ 1.9 years).
    public static func runTag(start: Timestamp) -> String {
        let digits = String(max(start.milliseconds / 1000, 0) % 60_466_176, radix: 36)
        return String(repeating: "0", count: 5 - digits.count) + digits
    }

    /// Releases both locks (also on deinit, and by the kernel when the process ends).
    public func release() {
        let held: [Int32] = lock.withLock { _ in
            defer { descriptors = [] }
            return descriptors
        }
        for descriptor in held {
            _ = flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// Opens `path` and takes an exclusive, non-blocking `flock`; returns the descriptor and the
    /// file's previous `key=value` lines.
    private static func take(_ path: String, refusal: String) throws(LiveRuntimeError) -> (descriptor: Int32, previous: [String: String]) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LiveRuntimeError("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        let previous = read(descriptor)
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                let holder = ["pid", "started"].compactMap { key in previous[key].map { "\(key) \($0)" } }.joined(separator: ", ")
                throw LiveRuntimeError("\(refusal) (\(holder.isEmpty ? "holder unknown" : holder); lock \(path)); one live session at a time")
            }
            throw LiveRuntimeError("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        // Read again under the lock: the previous holder may have written since.
        return (descriptor, read(descriptor))
    }

    private static func read(_ descriptor: Int32) -> [String: String] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
            offset += off_t(count)
            if bytes.count > 65_536 { break }
        }
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }

    private static func write(_ text: String, to descriptor: Int32) {
        _ = ftruncate(descriptor, 0)
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }
}
