import Alerts
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TradingEngine
import TradingModel
import NIOFoundationEssentialsCompat

/// A fake Telegram Bot API (and webhook receiver) on 127.0.0.1 for tests, as hard as the real
/// one on a bad day: each `sendMessage` / `getUpdates` / webhook request takes the next scripted
/// `Answer` (then the default): a normal answer, an HTTP error, a 429 with `retry_after`, a slow
/// answer held until the test releases it, or no answer at all until the server stops.
/// `getUpdates` long-polls: it answers as soon as updates at or after the offset are pushed, in
/// the pushed order (out of order if the test pushes them so) and can deliver an update twice;
/// with a `SteppedClock` it answers an empty list once the request's `timeout` has passed on
/// that clock (0: at once), as Telegram does. Every request is recorded with the test clock's
/// time when it arrived.
public final class FakeTelegram: Sendable {
    public enum Answer: Sendable, Hashable {
        case ok
        case status(Int, description: String)
        case tooManyRequests(retryAfter: Int)
        /// Held until `releaseSlowAnswers()`, then answered normally.
        case slow
        /// Never answered (held until the server stops).
        case hang
    }

    /// One request that reached the server.
    public struct Received: Sendable, Hashable {
        public var method: String
        public var chatID: Int64?
        public var text: String?
        /// The test clock when the request arrived.
        public var receivedAt: Timestamp
        /// The answer given (`hang` requests stay `nil` until answered).
        public var answered: Answer?
        public var headers: [String: String]
        public var body: String
        /// `getUpdates`: the offset asked for (nil: none sent).
        public var offset: Int64?
    }

    public struct State: Sendable {
        public var received: [Received] = []
        public var sendScript: [Answer] = []
        public var updatesScript: [Answer] = []
        public var webhookScript: [Answer] = []
        public var sendDefault = Answer.ok
        public var webhookDefault = Answer.ok
        public var updatesDefault = Answer.ok
        /// Updates waiting to be fetched (JSON objects), in delivery order.
        public var updates: [(id: Int64, json: Data, repeats: Int)] = []
        public var slowReleased = 0
        public var inFlight = 0
        public var stopped = false
        public var nextMessageID: Int64 = 1

        /// `sendMessage` requests that were answered 200, in arrival order.
        public var delivered: [Received] { received.filter { $0.method == "sendMessage" && $0.answered == .ok } }
        /// Webhook posts answered 2xx.
        public var webhooks: [Received] { received.filter { $0.method == "webhook" && $0.answered == .ok } }
    }

    public let token: String
    public let clock: any TradingClock
    public let state: WatchedValue<State>

    public init(token: String = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz", clock: any TradingClock) {
        self.token = token
        self.clock = clock
        state = WatchedValue(State())
    }

    // MARK: Scripting

    public func scriptSendMessage(_ answers: [Answer], default answer: Answer? = nil) {
        state.update {
            $0.sendScript += answers
            if let answer { $0.sendDefault = answer }
        }
    }

    public func scriptGetUpdates(_ answers: [Answer], default answer: Answer? = nil) {
        state.update {
            $0.updatesScript += answers
            if let answer { $0.updatesDefault = answer }
        }
    }

    public func scriptWebhook(_ answers: [Answer], default answer: Answer? = nil) {
        state.update {
            $0.webhookScript += answers
            if let answer { $0.webhookDefault = answer }
        }
    }

    /// Answers every request held by `.slow`.
    public func releaseSlowAnswers() { state.update { $0.slowReleased += 1 } }

    /// A text message from `chatID` (sender `userID`, `@username`), sent at `date` (Unix seconds;
    /// default: the clock's now). `repeats`: delivered that many extra times (a duplicate).
    public func pushMessage(updateID: Int64, chatID: Int64, userID: Int64, username: String, text: String, date: Int64? = nil,
                            repeats: Int = 0) {
        let data = messageJSON(updateID: updateID, chatID: chatID, userID: userID, username: username, text: text, date: date)
        state.update { $0.updates.append((updateID, data, repeats)) }
    }

    /// Several text messages pushed at once, in the order given (so one `getUpdates` answer can
    /// hold them out of `update_id` order).
    public func pushMessages(_ messages: [(updateID: Int64, chatID: Int64, userID: Int64, username: String, text: String)]) {
        let entries = messages.map { ($0.updateID, messageJSON(updateID: $0.updateID, chatID: $0.chatID, userID: $0.userID,
                                                                username: $0.username, text: $0.text, date: nil), 0) }
        state.update { $0.updates.append(contentsOf: entries) }
    }

    private func messageJSON(updateID: Int64, chatID: Int64, userID: Int64, username: String, text: String, date: Int64?) -> Data {
        let json: [String: Any] = [
            "update_id": updateID,
            "message": [
                "message_id": updateID, "date": date ?? clock.now.milliseconds / 1000, "text": text,
                "chat": ["id": chatID, "type": chatID < 0 ? "group" : "private"],
                "from": ["id": userID, "is_bot": false, "first_name": username, "username": username],
            ] as [String: Any],
        ]
        return (try? JSONSerialization.data(withJSONObject: json)) ?? Data()
    }

    public var baseURL: String { "http://127.0.0.1:\(port.current ?? 0)" }
    public let port = WatchedValue<Int?>(nil)

    // MARK: Server

    /// Runs the server until `body` returns, then stops it gracefully (held requests are answered
    /// 503): a connection accepted while the server stops is still served and closed, where
    /// cancelling the server would trap in NIO (an accepted channel never read).
    public func run<T: Sendable>(_ body: @Sendable (FakeTelegram) async throws -> T) async throws -> T {
        let router = Router()
        router.post("{bot}/{method}") { request, context -> Response in
            let bot = context.parameters.get("bot") ?? ""
            let method = context.parameters.get("method") ?? ""
            let data = try await request.body.collect(upTo: 1 << 20)
            return await self.answer(method: method, authorized: bot == "bot\(self.token)", body: Data(buffer: data),
                                     headers: [:])
        }
        router.post("webhook") { request, _ -> Response in
            let data = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            return await self.answer(method: "webhook", authorized: true, body: Data(buffer: data), headers: headers)
        }
        var logger = Logger(label: "fake-telegram")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-telegram"),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let server = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await server.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next() else { throw FakeTelegramError("the fake Telegram server did not start") }
            port.update { $0 = bound }
            let result: Result<T, any Error>
            do { result = .success(try await body(self)) } catch { result = .failure(error) }
            state.update { $0.stopped = true }
            await server.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    func answer(method: String, authorized: Bool, body: Data, headers: [String: String]) async -> Response {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let now = clock.now
        // The release count is read with the arrival, so a release right after the test saw the
        // request in flight is never missed.
        let (index, scripted, released): (Int, Answer, Int) = state.update { state in
            let answer: Answer
            switch method {
            case "sendMessage": answer = state.sendScript.isEmpty ? state.sendDefault : state.sendScript.removeFirst()
            case "getUpdates": answer = state.updatesScript.isEmpty ? state.updatesDefault : state.updatesScript.removeFirst()
            default: answer = state.webhookScript.isEmpty ? state.webhookDefault : state.webhookScript.removeFirst()
            }
            state.received.append(Received(method: method, chatID: (json?["chat_id"] as? NSNumber)?.int64Value, text: json?["text"] as? String,
                                            receivedAt: now, answered: nil, headers: headers, body: String(decoding: body, as: UTF8.self),
                                            offset: (json?["offset"] as? NSNumber)?.int64Value))
            state.inFlight += 1
            return (state.received.count - 1, answer, state.slowReleased)
        }
        defer { state.update { $0.inFlight -= 1 } }
        guard authorized else { return finish(index, .status(401, description: "Unauthorized")) }
        var answer = scripted
        switch scripted {
        case .hang:
            await state.wait { $0.stopped }
            return finish(index, .status(503, description: "stopped"))
        case .slow:
            await state.wait { $0.slowReleased > released || $0.stopped }
            answer = .ok
        default:
            break
        }
        guard answer == .ok else { return finish(index, answer) }
        switch method {
        case "sendMessage":
            let id: Int64 = state.update { state in
                defer { state.nextMessageID += 1 }
                return state.nextMessageID
            }
            return finish(index, .ok, result: ["message_id": id, "date": now.milliseconds / 1000, "chat": ["id": json?["chat_id"] ?? 0]])
        case "getUpdates":
            let offset = (json?["offset"] as? NSNumber)?.int64Value ?? 0
            let timeout = (json?["timeout"] as? NSNumber)?.int64Value ?? 0
            await waitForUpdates(offset: offset, until: now.advanced(by: .seconds(timeout)))
            let batch: [Data] = state.update { state in
                let due = state.updates.filter { $0.id >= offset || $0.repeats > 0 }
                state.updates = state.updates.compactMap { entry in
                    if entry.id < offset { return entry.repeats > 0 ? (entry.id, entry.json, entry.repeats - 1) : nil }
                    return entry
                }
                return due.map(\.json)
            }
            return finish(index, .ok, result: batch.compactMap { try? JSONSerialization.jsonObject(with: $0) })
        default:
            return finish(index, .ok, result: [:] as [String: Any])
        }
    }

    /// Returns when updates at or after `offset` (or a repeat) wait, the server stops, or a
    /// `SteppedClock` reached `deadline` (the long poll's timeout: the answer is then empty).
    private func waitForUpdates(offset: Int64, until deadline: Timestamp) async {
        let state = self.state
        let due: @Sendable (State) -> Bool = { state in state.stopped || state.updates.contains { $0.id >= offset || $0.repeats > 0 } }
        guard let stepped = clock as? SteppedClock else { return await state.wait(until: due) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await state.wait(until: due) }
            group.addTask { await stepped.time.wait { $0 >= deadline } }
            await group.next()
            group.cancelAll()
        }
    }

    private func finish(_ index: Int, _ answer: Answer, result: Any? = nil) -> Response {
        state.update { $0.received[index].answered = answer }
        let status: Int
        var object: [String: Any]
        switch answer {
        case .ok, .slow, .hang:
            status = 200
            object = ["ok": true, "result": result ?? true]
        case .status(let code, let description):
            status = code
            object = ["ok": false, "error_code": code, "description": description]
        case .tooManyRequests(let seconds):
            status = 429
            object = ["ok": false, "error_code": 429, "description": "Too Many Requests: retry after \(seconds)",
                      "parameters": ["retry_after": seconds]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

public struct FakeTelegramError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
