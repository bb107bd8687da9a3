import Testing
@testable import TradingConfig

/// Inputs that once crashed the parser (stack overflow on deep nesting, an exponent that
/// overflowed) are refused with one clear line naming the file and line.
@Suite struct TOMLLimitTests {
    private func parseError(_ text: String) -> ConfigError? {
        do {
            _ = try ConfigDocument.parse(text: text, file: "deep.toml")
            Issue.record("expected a ConfigError")
        } catch {
            return error
        }
        return nil
    }

    // The smallest inputs that crashed `qt config check` (segfault, no message).

    @Test func arraysNested7600DeepAreRefused() throws {
        let error = try #require(parseError("a = " + String(repeating: "[", count: 7_600) + String(repeating: "]", count: 7_600) + "\n"))
        #expect(error.kind == .syntax)
        #expect(error.description == "deep.toml:1: arrays and inline tables nested deeper than \(TOMLParser.maximumNesting) levels")
    }

    @Test func inlineTablesNested6900DeepAreRefused() throws {
        let text = "a = " + String(repeating: "{b=", count: 6_900) + "1" + String(repeating: "}", count: 6_900) + "\n"
        let error = try #require(parseError(text))
        #expect(error.description == "deep.toml:1: arrays and inline tables nested deeper than \(TOMLParser.maximumNesting) levels")
    }

    @Test func dottedKeyWith13000PartsIsRefused() throws {
        let error = try #require(parseError(Array(repeating: "a", count: 13_000).joined(separator: ".") + " = 1\n"))
        #expect(error.description == "deep.toml:1: a key with more than \(TOMLParser.maximumKeyParts) dotted parts")
    }

    @Test func tableHeaderWith13000PartsIsRefused() throws {
        let error = try #require(parseError("x = 1\n[" + Array(repeating: "a", count: 13_000).joined(separator: ".") + "]\n"))
        #expect(error.description == "deep.toml:2: a key with more than \(TOMLParser.maximumKeyParts) dotted parts")
    }

    @Test func nestingAtTheLimitIsAccepted() throws {
        let depth = TOMLParser.maximumNesting
        let text = "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
            + Array(repeating: "k", count: TOMLParser.maximumKeyParts).joined(separator: ".") + " = 1\n"
        _ = try ConfigDocument.parse(text: text, file: "deep.toml")
        #expect(parseError("a = " + String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1)) != nil)
    }

    @Test func overlongKeyIsRefused() throws {
        let key = String(repeating: "k", count: TOMLParser.maximumKeyLength + 1)
        let error = try #require(parseError("x = 1\n\(key) = 1\n"))
        #expect(error.description == "deep.toml:2: a key longer than \(TOMLParser.maximumKeyLength) bytes")
        let quoted = try #require(parseError("[\"\(key)\"]\n"))
        #expect(quoted.description == "deep.toml:1: a key longer than \(TOMLParser.maximumKeyLength) bytes")
    }

    /// `1e-9223372036854775808` once trapped (negating `Int.min`) when read as a decimal setting.
    @Test func extremeExponentIsOutOfRangeNotATrap() throws {
        let document = try ConfigDocument.parse(text: "[exit]\nstop = 1e-9223372036854775808\nbig = 1e9223372036854775807\n",
                                                file: "x.toml")
        let exit = document.section("exit")
        #expect(throws: ConfigError.self) { _ = try exit.requiredRate("stop") }
        #expect(throws: ConfigError.self) { _ = try exit.requiredRate("big") }
    }
}

/// Keys and values from the file are escaped in messages: a key of `\e[2J` cannot clear the terminal.
@Suite struct TOMLMessageEscapingTests {
    @Test func controlCharactersInKeysAreEscapedInUnknownKeyErrors() throws {
        let document = try ConfigDocument.parse(text: "\"\\u001b[2J\" = 1\n", file: "x.toml")
        #expect(document.unusedKeys() == ["\"\\e[2J\""])
    }

    @Test func controlByteAfterValueIsNamedByItsCode() {
        do {
            _ = try ConfigDocument.parse(text: "a = 1 \u{1B}[2J\n", file: "x.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "x.toml:1: unexpected byte 0x1B after value; expected end of line")
        }
    }

    @Test func controlCharacterInLiteralStringIsRefused() {
        #expect(throws: ConfigError.self) { _ = try ConfigDocument.parse(text: "a = '\u{1B}[2J'\n", file: "x.toml") }
    }
}
