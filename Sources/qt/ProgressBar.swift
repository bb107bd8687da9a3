import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (never in logs or pipes).
struct ProgressBar {
    let enabled: Bool

    func update(_ done: Int, _ total: Int, _ message: String) {
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K[\(bar)] \(done)/\(total) \(message.prefix(60))".utf8))
    }

    func finish(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(message)\n".utf8))
    }
}
