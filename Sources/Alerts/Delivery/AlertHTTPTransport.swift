import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// An HTTP answer: status and body.
public struct AlertHTTPResponse: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// Sends the notifiers' HTTP requests. `AsyncHTTPClientAlertTransport` in the app; tests use it
/// too, against a fake server on 127.0.0.1.
public protocol AlertHTTPTransport: Sendable {
    /// One request. Throws `DeliveryError` (`.transient`) when no answer came (connection
    /// failure, `timeout`); any HTTP status is an answer.
    func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeout: Duration) async throws(DeliveryError)
        -> AlertHTTPResponse
}

/// `AlertHTTPTransport` over AsyncHTTPClient. Errors never carry the URL (a Telegram URL holds
/// the bot token): they are described by kind only.
public struct AsyncHTTPClientAlertTransport: AlertHTTPTransport {
    let client: HTTPClient
    /// Largest body read from an answer (Telegram answers are small).
    let maxBody = 4 * 1024 * 1024

    public init(client: HTTPClient = .shared) { self.client = client }

    public func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeout: Duration) async throws(DeliveryError)
        -> AlertHTTPResponse {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let seconds = max(1, timeout.components.seconds)
        do {
            let response = try await client.execute(request, timeout: .seconds(seconds))
            let bytes = try await response.body.collect(upTo: maxBody)
            return AlertHTTPResponse(status: Int(response.status.code), body: Array(bytes.readableBytesView))
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                throw DeliveryError(.transient, "no answer within \(seconds) s")
            case .cancelled:
                throw DeliveryError(.transient, "cancelled")
            default:
                throw DeliveryError(.transient, "HTTP client error (\(Self.kind(of: error)))")
            }
        } catch is CancellationError {
            throw DeliveryError(.transient, "cancelled")
        } catch {
            throw DeliveryError(.transient, "connection failed (\(Self.kind(of: error)))")
        }
    }

    /// The error's type and case name, never its payload.
    static func kind(of error: any Error) -> String {
        let text = String(describing: error)
        let cut = text.firstIndex(where: { $0 == "(" || $0 == ":" || $0 == " " }) ?? text.endIndex
        return String(text[..<cut])
    }
}
