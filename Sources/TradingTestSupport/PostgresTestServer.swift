import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away PostgreSQL cluster for the test process: Debian's server binaries
/// (`/usr/lib/postgresql/*/bin`, installed by `make bootstrap`), a cluster in the build folder
/// (`.build/pg-test/<pid>`), listening on 127.0.0.1 on a free port; started once per test
/// process on first use and stopped (and deleted) when the process exits.
///
/// The server never runs as root: as root the cluster belongs to Debian's `postgres` user and
/// every server command runs through `runuser`. Host connections need a password
/// (scram-sha-256), as in production; the tests connect as `qt_app`, an ordinary role (row-level
/// security applies to it), owner of database `qt`.
public final class PostgresTestServer: Sendable {
    public let port: Int
    let directory: String
    let binaries: String
    public static let user = "qt_app"
    public static let password = "qt-test-password"
    public static let database = "qt"

    /// The shared server, started on first use; a failure to start fails every test that uses it.
    public static let shared: Result<PostgresTestServer, TestServerError> = {
        do {
            let server = try PostgresTestServer()
            atexit { PostgresTestServer.stopShared() }
            return .success(server)
        } catch let error as TestServerError {
            return .failure(error)
        } catch {
            return .failure(TestServerError(message: "\(error)"))
        }
    }()

    public struct TestServerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { "PostgreSQL test server: \(message)" }
    }

    /// The URL of `schema` as the application role, through `port` (a proxy) or directly.
    public func url(schema: String, port: Int? = nil) -> String {
        "postgres://\(Self.user):\(Self.password)@127.0.0.1:\(port ?? self.port)/\(Self.database)?schema=\(schema)"
    }

    private init() throws {
        guard let bin = Self.findBinaries() else {
            throw TestServerError(message: "no /usr/lib/postgresql/*/bin/initdb: install Debian's postgresql (make bootstrap)")
        }
        binaries = bin
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let asRoot = getuid() == 0
        let parent = Self.clusterParent(buildFolder: root + "/.build", asRoot: asRoot)
        Self.removeStaleClusters(in: parent, binaries: bin, asRoot: asRoot)
        directory = parent + "/\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/socket", withIntermediateDirectories: true)
        port = try Self.freePort()
        if asRoot { try Self.run("/bin/chown", ["-R", "postgres:postgres", directory]) }
        let passwordFile = directory + "/password"
        try "postgres-test-superuser\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        if asRoot { try Self.run("/bin/chown", ["postgres:postgres", passwordFile]) }
        try Self.server(asRoot, bin + "/initdb", ["-D", directory + "/data", "-U", "postgres", "--pwfile", passwordFile,
                                                   "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"])
        try Self.server(asRoot, bin + "/pg_ctl", [
            "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "start", "-o",
            "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory)/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        ])
        try Self.server(asRoot, bin + "/psql", [
            "-h", directory + "/socket", "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
            "-c", "CREATE ROLE \(Self.user) LOGIN PASSWORD '\(Self.password)'",
            "-c", "CREATE DATABASE \(Self.database) OWNER \(Self.user)",
        ])
    }

    /// Where the clusters live: `.build/pg-test`, unless the server cannot use it: as root the
    /// server runs as `postgres`, which must be able to enter every parent folder (a clone under
    /// `/root` is closed to it), and the Unix socket path must stay under the kernel's 107 bytes.
    /// Then the system's temporary folder.
    static func clusterParent(buildFolder: String, asRoot: Bool) -> String {
        let preferred = buildFolder + "/pg-test"
        let socketPathLength = preferred.utf8.count + "/4194304/socket/.s.PGSQL.65535".utf8.count
        var enterable = true
        if asRoot {
            var folder = URL(fileURLWithPath: buildFolder)
            while folder.path != "/" {
                var info = stat()
                if stat(folder.path, &info) != 0 || info.st_mode & 0o001 == 0 { enterable = false }
                folder.deleteLastPathComponent()
            }
        }
        if enterable && socketPathLength < 100 { return preferred }
        return (NSTemporaryDirectory() as NSString).appendingPathComponent("qt-pg-test")
    }

    /// Stops the shared server (at process exit).
    public static func stopShared() {
        guard case .success(let instance) = shared else { return }
        try? server(getuid() == 0, instance.binaries + "/pg_ctl", ["-D", instance.directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: instance.directory)
    }

    private static func server(_ asRoot: Bool, _ tool: String, _ arguments: [String]) throws {
        if asRoot {
            try run("/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
        } else {
            try run(tool, arguments)
        }
    }

    /// Runs `tool` to completion with posix_spawn and waitpid. Not Foundation's `Process`: its
    /// exit monitor misses children in this test process and `waitUntilExit` never returns.
    /// Output goes to a file, not a pipe: the server that `pg_ctl start` leaves running
    /// inherits the descriptor, and a pipe would never reach end-of-file.
    private static func run(_ tool: String, _ arguments: [String]) throws {
        let path = FileManager.default.fileExists(atPath: tool) ? tool : "/usr" + tool
        let outputPath = NSTemporaryDirectory() + "qt-pg-\(getpid())-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else is inherited: the server `pg_ctl start` leaves running would otherwise
        // hold the test process's descriptors (a lock a test runner holds, a listening socket)
        // long after a crashed test process is gone.
        // (glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module
        // does not export; looked up at run time.)
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestServerError(message: "cannot start \(path): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw TestServerError(message: "waitpid \(path): errno \(errno)") }
        }
        let exitedCleanly = status & 0x7f == 0 && (status >> 8) & 0xff == 0
        guard exitedCleanly else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw TestServerError(message: "\((tool as NSString).lastPathComponent) failed (status \(status)): \(text.suffix(800))")
        }
    }

    /// Stops and deletes clusters of earlier test processes that died without stopping theirs
    /// (killed, crashed): a directory named after a process id that no longer exists.
    private static func removeStaleClusters(in parent: String, binaries: String, asRoot: Bool) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] {
            guard let pid = Int32(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let directory = parent + "/" + name
            if FileManager.default.fileExists(atPath: directory + "/data/postmaster.pid") {
                try? server(asRoot, binaries + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    private static func findBinaries() -> String? {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(base)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// A port the kernel just gave out on 127.0.0.1 (bound and released).
    private static func freePort() throws -> Int {
        let socketHandle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketHandle >= 0 else { throw TestServerError(message: "socket() failed") }
        defer { close(socketHandle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketHandle, $0, length) == 0 && getsockname(socketHandle, $0, &length) == 0 }
        }
        guard bound else { throw TestServerError(message: "cannot bind a port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
