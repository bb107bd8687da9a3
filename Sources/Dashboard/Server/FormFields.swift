import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body (the console's forms), bounded in size.
struct FormFields: Sendable {
    var values: [String: String] = [:]

    subscript(name: String) -> String? { values[name] }

    static func parse(_ text: String) -> FormFields {
        var fields = FormFields()
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            fields.values[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Reads a form body of at most 16 KiB.
    static func read(_ request: Request) async throws -> FormFields {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        return parse(String(buffer: buffer))
    }
}

/// Compares two secrets in time independent of where they differ.
func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let left = Array(lhs.utf8)
    let right = Array(rhs.utf8)
    guard left.count == right.count, !left.isEmpty else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
}
