import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 in front of the PostgreSQL test server, with a network's and a busy
/// server's bad days on command: every connection cut at once, a connection cut just before the
/// client's next message containing some text reaches the server (mid-transaction, or at the
/// commit), and the server's answers held back until released (a stalled or slow server).
///
/// Blocking sockets, two threads per connection. `@unchecked Sendable`: all mutable state is
/// guarded by `condition`.
final class FaultyTCPProxy: @unchecked Sendable {
    let port: Int
    private let targetPort: Int
    private let listener: Int32
    private let condition = NSCondition()
    private var links: [Link] = []
    private var cutPattern: [UInt8] = []
    private var cutsLeft = 0
    private var holding = false
    private var repliesWaiting = 0
    private var stopped = false

    /// A proxied connection: its two sockets, closed when both directions have ended.
    private final class Link: @unchecked Sendable {
        let client: Int32
        let server: Int32
        var endedDirections = 0
        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }
        func cut() {
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(server, Int32(SHUT_RDWR))
        }
    }

    /// Listens on a free port of 127.0.0.1 and forwards to `targetPort` there.
    init(targetPort: Int) throws {
        self.targetPort = targetPort
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { throw ProxyError("socket() failed") }
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(handle, $0, length) == 0 && listen(handle, 16) == 0 && getsockname(handle, $0, &length) == 0
            }
        }
        guard listening else {
            close(handle)
            throw ProxyError("cannot listen on 127.0.0.1")
        }
        listener = handle
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
    }

    struct ProxyError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Faults

    /// Cuts every open connection now (as a restarted server or a dropped network would).
    func cutConnections() {
        condition.withLock { links.forEach { $0.cut() } }
    }

    /// Cuts the connection instead of forwarding the client's next message that contains `text`,
    /// `times` times (one connection each).
    func cutWhenClientSends(_ text: String, times: Int = 1) {
        condition.withLock {
            cutPattern = Array(text.utf8)
            cutsLeft = times
        }
    }

    /// Holds back the server's answers until `releaseReplies()`.
    func holdReplies() {
        condition.withLock { holding = true }
    }

    func releaseReplies() {
        condition.withLock {
            holding = false
            condition.broadcast()
        }
    }

    /// Blocks until an answer of the server is being held back.
    func waitUntilAReplyIsHeld() {
        condition.withLock { while repliesWaiting == 0 { condition.wait() } }
    }

    /// Stops listening and cuts every connection.
    func stop() {
        condition.withLock {
            stopped = true
            holding = false
            condition.broadcast()
            links.forEach { $0.cut() }
        }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    // MARK: Forwarding

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            let accepted: Link? = condition.withLock {
                guard connected, !stopped else { return nil }
                let link = Link(client: client, server: server)
                links.append(link)
                return link
            }
            guard let link = accepted else {
                close(client)
                close(server)
                if condition.withLock({ stopped }) { return }
                continue
            }
            Thread { [self] in pump(link, fromClient: true) }.start()
            Thread { [self] in pump(link, fromClient: false) }.start()
        }
    }

    private func pump(_ link: Link, fromClient: Bool) {
        let source = fromClient ? link.client : link.server
        let destination = fromClient ? link.server : link.client
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var tail: [UInt8] = []
        defer { finish(link) }
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            let chunk = Array(buffer[0..<count])
            if fromClient {
                let cut = shouldCut(tail: tail, chunk: chunk)
                tail = Array((tail + chunk).suffix(256))
                if cut {
                    link.cut()
                    return
                }
            } else if !waitWhileHolding() {
                return
            }
            guard sendAll(chunk, to: destination) else { return }
        }
    }

    /// Whether the armed text ends inside `chunk` (it may start in the bytes before it).
    private func shouldCut(tail: [UInt8], chunk: [UInt8]) -> Bool {
        condition.withLock {
            guard cutsLeft > 0, !cutPattern.isEmpty else { return false }
            let window = Array(tail.suffix(cutPattern.count - 1)) + chunk
            guard Self.contains(window, cutPattern) else { return false }
            cutsLeft -= 1
            return true
        }
    }

    /// Waits while answers are held; false when the proxy stopped meanwhile.
    private func waitWhileHolding() -> Bool {
        condition.withLock {
            guard holding else { return !stopped }
            repliesWaiting += 1
            condition.broadcast()
            while holding { condition.wait() }
            repliesWaiting -= 1
            return !stopped
        }
    }

    private func finish(_ link: Link) {
        let closeNow: Bool = condition.withLock {
            link.cut()
            link.endedDirections += 1
            guard link.endedDirections == 2 else { return false }
            links.removeAll { $0 === link }
            return true
        }
        if closeNow {
            close(link.client)
            close(link.server)
        }
    }

    private func sendAll(_ bytes: [UInt8], to socketHandle: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(socketHandle, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private static func contains(_ bytes: [UInt8], _ pattern: [UInt8]) -> Bool {
        guard bytes.count >= pattern.count else { return false }
        return (0...(bytes.count - pattern.count)).contains { start in bytes[start..<(start + pattern.count)].elementsEqual(pattern) }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
