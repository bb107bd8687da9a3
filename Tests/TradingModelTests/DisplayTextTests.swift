import Testing
import TradingModel

/// Text from outside is printed on one line and never as terminal control sequences.
@Suite struct DisplayTextTests {
    @Test func controlCharactersAreEscaped() {
        #expect(DisplayText.escaped("\u{1B}[2Jheader\n\tx\r\\") == "\\e[2Jheader\\n\\tx\\r\\\\")
        #expect(DisplayText.escaped("a\u{00}b\u{7F}c\u{9B}d") == "a\\u{00}b\\u{7F}c\\u{9B}d")
        #expect(DisplayText.escaped("FILUSDT é ✓") == "FILUSDT é ✓")
    }

    @Test func invalidUTF8BytesAreShownAsHex() {
        #expect(DisplayText.escaped(bytes: Array("ok".utf8) + [0xFF, 0xC3, 0x41, 0x1B] + Array("é".utf8)) == "ok\\xFF\\xC3A\\eé")
        #expect(DisplayText.escaped(bytes: [0xED, 0xA0, 0x80]) == "\\xED\\xA0\\x80")
    }

    @Test func longTextIsCut() {
        #expect(DisplayText.escaped(String(repeating: "x", count: 50), limit: 40) == String(repeating: "x", count: 40) + "…")
    }
}
