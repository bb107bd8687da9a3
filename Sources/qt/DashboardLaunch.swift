import Foundation

/// The terminal side of the console: the dashboard beside a session is built by
/// `TraderBuilder` (its address comes back through the environment's `say`); `qt dashboard`
/// runs it store-only.
enum DashboardLaunch {
    /// One line on stdout, written at once (before the session's log lines on stderr).
    @Sendable static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
