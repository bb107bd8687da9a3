import Testing
@testable import TradingConfig

/// The TOML subset: every value type, keys, tables, arrays, comments, and syntax errors.
@Suite struct TOMLParserTests {
    private func parse(_ text: String) throws -> ConfigTable {
        try ConfigDocument.parse(text: text, file: "test.toml").root
    }

    private func table(_ root: ConfigTable, _ path: String...) -> ConfigTable? {
        var table = root
        for key in path {
            guard case .table(let child)? = table[key]?.kind else { return nil }
            table = child
        }
        return table
    }

    @Test func scalarValuesKeepLiteralTextAndLine() throws {
        let root = try parse("""
        # leading comment
        name = "ATOM \\"perp\\"\\tx\\u00e9"   # trailing comment
        literal = 'C:\\path\\no escapes'
        count = -42
        big = 1_000_000
        rate = 0.012
        tiny = 1e-5
        signed = +3.5
        on = true
        off = false
        """)
        #expect(root["name"] == ConfigValue(kind: .string("ATOM \"perp\"\txé"), line: 2))
        #expect(root["literal"]?.kind == .string("C:\\path\\no escapes"))
        #expect(root["count"] == ConfigValue(kind: .integer(literal: "-42"), line: 4))
        #expect(root["big"]?.kind == .integer(literal: "1_000_000"))
        #expect(root["rate"] == ConfigValue(kind: .float(literal: "0.012"), line: 6))
        #expect(root["tiny"]?.kind == .float(literal: "1e-5"))
        #expect(root["signed"]?.kind == .float(literal: "+3.5"))
        #expect(root["on"]?.kind == .boolean(true))
        #expect(root["off"]?.kind == .boolean(false))
        #expect(root.keys == ["name", "literal", "count", "big", "rate", "tiny", "signed", "on", "off"])
    }

    @Test func tablesDottedHeadersAndDottedKeys() throws {
        let root = try parse("""
        top = 1
        [exit]
        stop_loss = 0.02
        harvest.first = 0.4
        "quoted key" = "q"
        [instruments.ATOMUSDT]
        tick = 0.001
        [instruments."ETH USDT"]
        tick = 0.01
        """)
        #expect(root.keys == ["top", "exit", "instruments"])
        #expect(table(root, "exit")?["stop_loss"]?.kind == .float(literal: "0.02"))
        #expect(table(root, "exit", "harvest")?["first"] == ConfigValue(kind: .float(literal: "0.4"), line: 4))
        #expect(table(root, "exit")?["quoted key"]?.kind == .string("q"))
        #expect(table(root, "instruments")?.keys == ["ATOMUSDT", "ETH USDT"])
        #expect(table(root, "instruments", "ATOMUSDT")?["tick"]?.line == 7)
        #expect(root.leafCount == 6)
    }

    @Test func multiLineArraysWithCommentsAndTrailingComma() throws {
        let root = try parse("""
        symbols = [
          "ATOMUSDT", # first
          "ETHUSDT",
        ]
        numbers = [1, 2.5, -3]
        empty = []
        nested = [[1], ["a"]]
        """)
        guard case .array(let symbols)? = root["symbols"]?.kind else { Issue.record("not an array"); return }
        #expect(symbols.map(\.kind) == [.string("ATOMUSDT"), .string("ETHUSDT")])
        #expect(symbols.map(\.line) == [2, 3])
        guard case .array(let numbers)? = root["numbers"]?.kind else { Issue.record("not an array"); return }
        #expect(numbers.map(\.kind) == [.integer(literal: "1"), .float(literal: "2.5"), .integer(literal: "-3")])
        #expect(root["empty"]?.kind == .array([]))
        #expect(root["numbers"]?.line == 5)
    }

    @Test func inlineTables() throws {
        let root = try parse("""
        point = { x = 1, y.z = "two" }
        none = {}
        """)
        #expect(table(root, "point")?["x"]?.kind == .integer(literal: "1"))
        #expect(table(root, "point", "y")?["z"]?.kind == .string("two"))
        #expect(table(root, "none")?.keys == [])
    }

    @Test func windowsLineEndings() throws {
        let root = try parse("a = 1\r\n[b]\r\nc = 'x'\r\n")
        #expect(table(root, "b")?["c"] == ConfigValue(kind: .string("x"), line: 3))
    }

    /// Every rejected input with the line the error must point at.
    static let syntaxErrors: [(text: String, line: Int, fragment: String)] = [
        ("a = 1\nb = \n", 2, "expected a value"),
        ("a = 1\n\nb = 'open\n", 3, "unterminated string"),
        ("a = \"x\ny\"", 1, "unterminated string"),
        ("[table\n", 1, "expected ']'"),
        ("a = 1 2\n", 1, "after value"),
        ("a = legacy\n", 1, "strings must be quoted"),
        ("a = 01\n", 1, "leading zeros"),
        ("a = 1__0\n", 1, "invalid number"),
        ("a = 1.\n", 1, "decimal point"),
        ("a = .5\n", 1, "strings must be quoted"),
        ("a = inf\n", 1, "finite"),
        ("a = nan\n", 1, "finite"),
        ("a = 0x1F\n", 1, "decimal integers"),
        ("a = 2024-01-01\n", 1, "dates"),
        ("a = \"\"\"x\"\"\"\n", 1, "multi-line"),
        ("[[items]]\n", 1, "arrays of tables"),
        ("x = 1\ny = [1,\n2\n", 4, "unterminated array"),
        ("a = [1 2]\n", 1, "expected ',' or ']'"),
        ("a = { x = 1,\n y = 2 }\n", 1, "expected a key"),
        ("a = \"bad \\q escape\"\n", 1, "invalid escape"),
        ("= 1\n", 1, "invalid character"),
        ("a 1\n", 1, "expected '='"),
    ]

    @Test(arguments: syntaxErrors)
    func syntaxErrorsNameTheLine(_ example: (text: String, line: Int, fragment: String)) {
        #expect {
            _ = try parse(example.text)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.kind == .syntax && error.line == example.line && error.file == "test.toml"
                && error.message.contains(example.fragment)
        }
    }

    /// Duplicate definitions, with the line of the second one and the full key.
    static let duplicates: [(text: String, line: Int, key: String)] = [
        ("a = 1\na = 2\n", 2, "a"),
        ("[exit]\nstop = 1\n\nstop = 2\n", 4, "exit.stop"),
        ("[exit]\nx = 1\n[exit]\ny = 2\n", 3, "exit"),
        ("a.b = 1\na.b = 2\n", 2, "a.b"),
        ("a = 1\n[a]\n", 2, "a"),
        ("a = 1\na.b = 2\n", 2, "a.b"),
        ("[x]\nb.c = 1\n[x.b]\n", 3, "x.b"),
        ("[x.b]\nc = 1\n[x]\nb.d = 2\n", 4, "x.b.d"),
        ("p = { x = 1 }\np.y = 2\n", 2, "p.y"),
        ("p = { x = 1, x = 2 }\n", 1, "x"),
    ]

    @Test(arguments: duplicates)
    func duplicateKeysAndTablesAreErrors(_ example: (text: String, line: Int, key: String)) {
        #expect {
            _ = try parse(example.text)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.kind == .duplicateKey && error.line == example.line && error.key == example.key
        }
    }

    @Test func implicitParentMayBeDeclaredLater() throws {
        let root = try parse("[a.b]\nx = 1\n[a]\ny = 2\n")
        #expect(table(root, "a")?["y"]?.kind == .integer(literal: "2"))
        #expect(table(root, "a", "b")?["x"]?.kind == .integer(literal: "1"))
    }

    @Test func errorDescriptionIsOneLineWithFileAndLine() {
        #expect {
            _ = try ConfigDocument.parse(text: "a = 1\na = 2\n", file: "config/x.toml")
        } throws: { error in
            (error as? ConfigError)?.description == "config/x.toml:2: duplicate key 'a' (first defined on line 1)"
        }
    }
}

/// Smaller parser details.
@Suite struct TOMLParserDetailTests {
    @Test func spacesAroundDotsAndHashInsideStrings() throws {
        let root = try ConfigDocument.parse(text: "a . b = \"x # not a comment\" # comment\n", file: "t.toml").root
        guard case .table(let a)? = root["a"]?.kind else { Issue.record("no table a"); return }
        #expect(a["b"]?.kind == .string("x # not a comment"))
    }

    @Test func emptyDocumentAndOnlyComments() throws {
        #expect(try ConfigDocument.parse(text: "", file: "t.toml").keyCount == 0)
        #expect(try ConfigDocument.parse(text: "# only\n\n   # comments\n", file: "t.toml").keyCount == 0)
    }
}
