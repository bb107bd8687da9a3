import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Adds the security headers to every response, errors included: a Content-Security-Policy that
/// allows no script at all, the page's one stylesheet by its hash only, images from the page
/// itself (the inline SVG chart) and forms to this origin only; `X-Frame-Options: DENY`;
/// `nosniff`; no referrer; no caching of pages that show positions.
public struct SecurityHeadersMiddleware: RouterMiddleware {
    public typealias Context = DashboardContext
    let contentSecurityPolicy: String
    let strictTransport: Bool

    /// - Parameter styleSheet: the exact text of the pages' inline `<style>` element.
    public init(styleSheet: String, strictTransport: Bool) {
        contentSecurityPolicy = "default-src 'none'; script-src 'none'; style-src '\(Self.sha256Source(styleSheet))'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        self.strictTransport = strictTransport
    }

    /// `sha256-<base64>` of `text`, as CSP names an allowed inline element.
    public static func sha256Source(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }

    public func handle(_ request: Request, context: DashboardContext, next: (Request, DashboardContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        if strictTransport { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
