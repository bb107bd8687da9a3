import Foundation
import Logging
import NIOCore
import WSClient
import NIOWebSocket

/// Debian's `chromium` in headless mode, driven over the DevTools protocol (a WebSocket on
/// 127.0.0.1): navigate, read the page, click, wait for the next page load, take screenshots.
/// Waits are on the browser's own events (`Page.loadEventFired`), never on the wall clock.
final class HeadlessChromium: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The installed browser, or nil (`make bootstrap` installs Debian's `chromium`).
    static var path: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the browser with a fresh profile, runs `body` with a page, then ends the browser.
    static func run<T: Sendable>(_ body: @escaping @Sendable (Page) async throws -> T) async throws -> T {
        guard let path else { throw Failure("chromium is not installed (make bootstrap installs Debian's chromium)") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("qt-chromium-\(ProcessInfo.processInfo.globallyUniqueString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                             "--disable-extensions", "--disable-background-networking", "--disable-sync", "--window-size=1500,1100",
                             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=\(profile.path)", "about:blank"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let buffer = LineBuffer()
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                continuation.finish()
                handle.readabilityHandler = nil
                return
            }
            for line in buffer.append(data) { continuation.yield(line) }
        }
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
            errors.fileHandleForReading.readabilityHandler = nil
        }
        var endpoint: String?
        var seen: [String] = []
        for await line in lines {
            seen.append(line)
            if let range = line.range(of: "DevTools listening on ") {
                endpoint = String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                break
            }
        }
        guard let endpoint else { throw Failure("chromium did not open its DevTools endpoint: \(seen.suffix(5).joined(separator: " | "))") }
        let result = BrowserBox<Result<T, any Error>?>(nil)
        var logger = Logger(label: "chromium-cdp")
        logger.logLevel = .critical
        try await WebSocketClient.connect(url: endpoint, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 26), logger: logger) { inbound, outbound, _ in
            let connection = Connection(outbound: outbound)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await message in inbound.messages(maxSize: 1 << 26) {
                            if case .text(let text) = message { connection.received(text) }
                        }
                    } catch {}
                    connection.closed()
                }
                do {
                    let target = try await connection.send("Target.createTarget", ["url": "about:blank"])
                    guard let targetID = target["targetId"] as? String else { throw Failure("no target: \(target)") }
                    let attached = try await connection.send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
                    guard let session = attached["sessionId"] as? String else { throw Failure("not attached: \(attached)") }
                    let page = Page(connection: connection, session: session)
                    _ = try await page.command("Page.enable")
                    _ = try await page.command("Runtime.enable")
                    result.value = .success(try await body(page))
                } catch {
                    result.value = .failure(error)
                }
                try? await outbound.close(.normalClosure, reason: nil)
                group.cancelAll()
            }
        }
        guard let outcome = result.value else { throw Failure("the DevTools connection closed early") }
        return try outcome.get()
    }

    /// One tab, through its flattened DevTools session.
    struct Page: Sendable {
        let connection: Connection
        let session: String

        func command(_ method: String, _ params: [String: any Sendable] = [:]) async throws -> [String: Any] {
            try await connection.send(method, params, session: session)
        }

        /// Runs `action` (a navigation or a click that submits a form) and waits until the next page has loaded.
        func loading(_ action: () async throws -> Void) async throws {
            let loads = connection.events(named: "Page.loadEventFired", session: session)
            try await action()
            await connection.waitForEvent("Page.loadEventFired", session: session, after: loads)
        }

        func open(_ url: String) async throws {
            try await loading { _ = try await command("Page.navigate", ["url": url]) }
        }

        /// The value of a JavaScript expression (the page's own CSP allows no script; DevTools evaluates anyway).
        func evaluate(_ expression: String) async throws -> Any? {
            let answer = try await command("Runtime.evaluate", ["expression": expression, "returnByValue": true])
            if let exception = answer["exceptionDetails"] { throw Failure("\(expression): \(exception)") }
            return (answer["result"] as? [String: Any])?["value"]
        }

        func text(_ selector: String) async throws -> String? {
            try await evaluate("(function(){const e=document.querySelector(\(Self.quoted(selector)));return e?e.innerText:null})()") as? String
        }

        var location: String { get async throws { try await evaluate("location.pathname") as? String ?? "" } }

        /// Clicks a button that submits a form and waits for the page it leads to.
        func click(_ selector: String) async throws {
            try await loading {
                let clicked = try await evaluate("(function(){const e=document.querySelector(\(Self.quoted(selector)));if(!e)return false;e.click();return true})()")
                guard clicked as? Bool == true else { throw Failure("nothing to click at \(selector)") }
            }
        }

        func fill(_ selector: String, _ value: String) async throws {
            _ = try await evaluate("document.querySelector(\(Self.quoted(selector))).value=\(Self.quoted(value))")
        }

        /// A PNG of the whole page.
        func screenshot(to path: String) async throws {
            let answer = try await command("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
            guard let base64 = answer["data"] as? String, let data = Data(base64Encoded: base64) else { throw Failure("no screenshot") }
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path))
        }

        static func quoted(_ text: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
            return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
        }
    }

    /// The DevTools connection: commands by id with their answers, events kept in order.
    /// A lock-protected box (`@unchecked Sendable`).
    final class Connection: @unchecked Sendable {
        private let lock = NSLock()
        private let outbound: WebSocketOutboundWriter
        private var nextID = 0
        private var waiting: [Int: CheckedContinuation<[String: Any], any Error>] = [:]
        private var events: [(method: String, session: String?)] = []
        private var eventWaiters: [(method: String, session: String, after: Int, continuation: CheckedContinuation<Void, Never>)] = []
        private var isClosed = false

        init(outbound: WebSocketOutboundWriter) { self.outbound = outbound }

        func send(_ method: String, _ params: [String: any Sendable], session: String? = nil) async throws -> [String: Any] {
            let id = lock.withLock { nextID += 1; return nextID }
            var message: [String: Any] = ["id": id, "method": method, "params": params]
            if let session { message["sessionId"] = session }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)
            return try await withCheckedThrowingContinuation { continuation in
                let closed = lock.withLock {
                    if isClosed { return true }
                    waiting[id] = continuation
                    return false
                }
                if closed { continuation.resume(throwing: Failure("DevTools connection closed")); return }
                Task { try? await outbound.write(.text(text)) }
            }
        }

        func received(_ text: String) {
            guard let message = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return }
            if let id = message["id"] as? Int {
                let continuation = lock.withLock { waiting.removeValue(forKey: id) }
                if let error = message["error"] { continuation?.resume(throwing: Failure("\(error)")) } else {
                    continuation?.resume(returning: message["result"] as? [String: Any] ?? [:])
                }
                return
            }
            guard let method = message["method"] as? String else { return }
            let session = message["sessionId"] as? String
            let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
                events.append((method, session))
                let count = events.filter { $0.method == method && $0.session == session }.count
                let (due, rest) = (eventWaiters.filter { $0.method == method && $0.session == session && count > $0.after },
                                   eventWaiters.filter { !($0.method == method && $0.session == session && count > $0.after) })
                eventWaiters = rest
                return due.map(\.continuation)
            }
            for continuation in ready { continuation.resume() }
        }

        func closed() {
            let (commands, waiters) = lock.withLock { () -> ([CheckedContinuation<[String: Any], any Error>], [CheckedContinuation<Void, Never>]) in
                isClosed = true
                defer { waiting = [:]; eventWaiters = [] }
                return (Array(waiting.values), eventWaiters.map(\.continuation))
            }
            for continuation in commands { continuation.resume(throwing: Failure("DevTools connection closed")) }
            for continuation in waiters { continuation.resume() }
        }

        func events(named method: String, session: String) -> Int {
            lock.withLock { events.filter { $0.method == method && $0.session == session }.count }
        }

        /// Returns once more than `after` events `method` of `session` arrived (or the connection closed).
        func waitForEvent(_ method: String, session: String, after: Int) async {
            await withCheckedContinuation { continuation in
                let done = lock.withLock {
                    if isClosed || events.filter({ $0.method == method && $0.session == session }).count > after { return true }
                    eventWaiters.append((method, session, after, continuation))
                    return false
                }
                if done { continuation.resume() }
            }
        }
    }
}

/// Splits bytes into lines. Lock-protected (`@unchecked Sendable`).
final class LineBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = Data()
    func append(_ data: Data) -> [String] {
        lock.withLock {
            pending.append(data)
            var lines: [String] = []
            while let index = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: pending[pending.startIndex..<index], as: UTF8.self))
                pending = Data(pending[pending.index(after: index)...])
            }
            return lines
        }
    }
}

/// A value set once by one task and read by another after it finished. Lock-protected (`@unchecked Sendable`).
final class BrowserBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
