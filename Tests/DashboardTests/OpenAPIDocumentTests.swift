import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Holds the kept OpenAPI document against the router: every documented operation answers with a
/// documented status and its schema's required keys; every API route is documented.
@Suite("OpenAPI document against the routes")
struct OpenAPIDocumentTests {
    nonisolated(unsafe) static let document: [String: Any] = (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))) as? [String: Any] ?? [:]

    static var operations: [(method: String, path: String, operation: [String: Any])] {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return paths.flatMap { path, item in item.compactMap { method, value in (value as? [String: Any]).map { (method, path, $0) } } }
            .sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    static func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        let name = String(ref.split(separator: "/").last ?? "")
        return ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] ?? [:]
    }

    @Test("the document parses, is OpenAPI 3.0 and names the bearer scheme")
    func parses() {
        #expect(Self.document["openapi"] as? String == "3.0.3")
        #expect(Self.operations.count == 16)
    }

    @Test("every documented operation answers a documented status, with its schema's required keys")
    func everyOperationAnswers() async throws {
        let fixture = DashboardFixture()
        try await fixture.test { client in
            for (method, path, operation) in Self.operations {
                let uri = "/api/v1" + path.replacingOccurrences(of: "{symbol}", with: "ATOMUSDT").replacingOccurrences(of: "{id}", with: "1")
                var headers = bearer
                headers[.contentType] = "application/json"
                let response = try await client.execute(uri: uri, method: HTTPRequest.Method(method.uppercased())!, headers: headers,
                                                        body: ByteBuffer(string: "{\"reason\":\"test\"}"))
                let responses = operation["responses"] as? [String: Any] ?? [:]
                let code = String(response.status.code)
                #expect(responses[code] != nil, "\(method) \(path) answered undocumented \(code)")
                guard let documented = responses[code] as? [String: Any],
                      let schema = ((documented["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else { continue }
                #expect(response.headers[.contentType] == "application/json", "\(method) \(path)")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any], "\(method) \(path)")
                for key in Self.resolve(schema)["required"] as? [String] ?? [] {
                    #expect(body[key] != nil, "\(method) \(path): required key \(key) missing in \(response.text.prefix(200))")
                }
                let allowed = Set((Self.resolve(schema)["properties"] as? [String: Any] ?? [:]).keys)
                if !allowed.isEmpty { #expect(Set(body.keys).isSubset(of: allowed), "\(method) \(path): keys \(body.keys.sorted()) beyond \(allowed.sorted())") }
            }
        }
    }

    @Test("every API route is documented, and an undocumented one is 404")
    func everyRouteIsDocumented() async throws {
        let documented = Set(Self.operations.map { "\($0.method.uppercased()) /api/v1\($0.path)" })
        let routes = DashboardAuthTests.protectedRoutes.filter { $0.1.hasPrefix("/api/v1") }.map { method, path in
            "\(method.rawValue) " + path.replacingOccurrences(of: "/positions/ATOMUSDT/", with: "/positions/{symbol}/")
                .replacingOccurrences(of: "/requests/1", with: "/requests/{id}")
        }
        #expect(Set(routes) == documented)
        let fixture = DashboardFixture()
        try await fixture.test { client in
            let unknown = try await client.execute(uri: "/api/v1/orders", method: .get, headers: bearer)
            #expect(unknown.status == .notFound)
        }
    }
}
