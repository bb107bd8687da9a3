import Foundation
import HTTPTypes
import Hummingbird

/// JSON answers of `/api/v1`: snake_case keys, decimal strings for prices and money, errors as
/// `{"error": "…"}` with a 4xx/5xx status.
enum APIResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let data = try encoder.encode(value)
            return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            return self.error(.internalServerError, "the answer could not be encoded: \(error)")
        }
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let data = (try? encoder.encode(["error": message])) ?? Data("{\"error\":\"unknown\"}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `{"positions": [...]}` and the like: a named list.
struct NamedList<Element: Encodable>: Encodable {
    let name: String
    let items: [Element]
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(items, forKey: AnyKey(name))
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `/api/v1/readiness`: the checks and whether all passed.
struct ReadinessBody: Encodable {
    let ready: Bool
    let checks: [Readiness.Check]
}

/// The body of POST /halt and /resume.
struct ReasonBody: Decodable {
    let reason: String
}
