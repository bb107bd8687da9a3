import Testing
import TradingModel
@testable import TradingConfig

/// Typed, strict access: conversions, defaults, required keys, wrong types, ranges, usage tracking.
@Suite struct ConfigSectionTests {
    private func document(_ text: String) throws -> ConfigDocument {
        try ConfigDocument.parse(text: text, file: "config/x.toml")
    }

    /// Runs `body` and returns the `ConfigError` it throws (nil and a recorded issue otherwise).
    private func error(_ body: () throws -> Void) -> ConfigError? {
        do {
            try body()
            Issue.record("expected a ConfigError")
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    @Test func decimalsConvertExactlyFromTheirText() throws {
        let exit = try document("""
        [exit]
        fee = 0.0005
        stop = 0.012
        capital = 1_000.5
        price = 2.224
        quantity = 12
        scientific = 1.5e-3
        """).section("exit")
        // 0.0005 × 10^8 = 50_000 raw; a Double path would give 0.0005 = 0.000500000000000000010408…
        #expect(try exit.rate("fee", default: .zero).raw == 50_000)
        // 0.012 × 10^8 = 1_200_000
        #expect(try exit.requiredRate("stop").raw == 1_200_000)
        // 1000.5 × 10^8 = 100_050_000_000
        #expect(try exit.money("capital", default: .zero).raw == 100_050_000_000)
        #expect(try exit.requiredPrice("price") == Price(raw: 222_400_000))
        #expect(try exit.quantity("quantity", default: .zero) == Quantity(units: 12))
        // 1.5e-3 = 0.0015 → 150_000 raw
        #expect(try exit.optionalRate("scientific") == Rate(raw: 150_000))
        #expect(try exit.optionalRate("absent") == nil)
    }

    @Test func decimalsNeedingRoundingAreRejected() throws {
        let section = try document("a = 0.000000001\nb = 1e-9\nc = 0.123456780\n").rootSection
        let tooPrecise = error { _ = try section.rate("a", default: .zero) }
        #expect(tooPrecise?.kind == .invalidValue)
        #expect(tooPrecise?.description == "config/x.toml:1: 'a' = 0.000000001 has more than 8 decimals")
        #expect(error { _ = try section.rate("b", default: .zero) }?.kind == .invalidValue)
        // Trailing zeros do not count: 0.12345678 has 8 decimals.
        #expect(try section.rate("c", default: .zero).raw == 12_345_678)
    }

    @Test func defaultsApplyOnlyWhenAbsent() throws {
        let section = try document("[s]\n").section("s")
        #expect(try section.string("name", default: "x") == "x")
        #expect(try section.int("count", default: 7, range: 1...10) == 7)
        #expect(try section.bool("flag", default: true))
        #expect(try section.double("threshold", default: 0.8, range: 0...1) == 0.8)
        #expect(try section.rate("fee", default: Rate(raw: 50_000)) == Rate(raw: 50_000))
        #expect(try section.duration("timeout", default: .seconds(30)) == .seconds(30))
        #expect(try section.stringArray("symbols", default: ["ATOMUSDT"]) == ["ATOMUSDT"])
        #expect(try section.choice("mode", allowed: ["a", "b"], default: "b") == "b")
    }

    @Test func presentValuesOfEveryType() throws {
        let section = try document("""
        name = "paper"
        count = 5
        flag = false
        threshold = 0.72
        whole = 1
        timeout = "250ms"
        symbols = ["ATOMUSDT", "ETHUSDT"]
        mode = "a"
        """).rootSection
        #expect(try section.requiredString("name") == "paper")
        #expect(try section.requiredInt("count", range: 1...10) == 5)
        #expect(try section.requiredBool("flag") == false)
        #expect(try section.requiredDouble("threshold") == 0.72)
        #expect(try section.double("whole", default: 0) == 1.0)
        #expect(try section.requiredDuration("timeout") == .milliseconds(250))
        #expect(try section.requiredStringArray("symbols") == ["ATOMUSDT", "ETHUSDT"])
        #expect(try section.requiredChoice("mode", allowed: ["a", "b"]) == "a")
        #expect(section.document.unusedKeys() == [])
    }

    @Test(arguments: [("30s", Duration.seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
                      ("250ms", .milliseconds(250)), ("2d", .seconds(172_800)), ("0s", .zero)])
    func durations(_ text: String, _ expected: Duration) throws {
        #expect(try document("t = \"\(text)\"").rootSection.requiredDuration("t") == expected)
    }

    @Test(arguments: ["30", "1.5s", "-5s", "5 m", "5min", "s", ""])
    func invalidDurations(_ text: String) throws {
        let section = try document("t = \"\(text)\"").rootSection
        let failure = error { _ = try section.duration("t", default: .zero) }
        #expect(failure?.kind == .invalidValue)
        #expect(failure?.message.contains("'t' = \"\(text)\" is not a duration") == true)
    }

    @Test func wrongTypeNamesKeyExpectedAndFound() throws {
        let section = try document("[exit]\nstop = \"0.02\"\ncount = 1.5\nflag = 1\nname = 3\nlist = [\"a\", 2]\n").section("exit")
        let stop = error { _ = try section.rate("stop", default: .zero) }
        #expect(stop?.kind == .wrongType)
        #expect(stop?.description == "config/x.toml:2: 'exit.stop' must be a decimal number, found string \"0.02\"")
        #expect(error { _ = try section.int("count", default: 0) }?.description
            == "config/x.toml:3: 'exit.count' must be an integer, found float 1.5")
        #expect(error { _ = try section.bool("flag", default: false) }?.description
            == "config/x.toml:4: 'exit.flag' must be a boolean (true or false), found integer 1")
        #expect(error { _ = try section.string("name", default: "") }?.description
            == "config/x.toml:5: 'exit.name' must be a string, found integer 3")
        #expect(error { _ = try section.stringArray("list", default: []) }?.kind == .wrongType)
        #expect(error { _ = try section.duration("count", default: .zero) }?.kind == .wrongType)
    }

    @Test func outOfRangeNamesKeyValueAndRange() throws {
        let section = try document("[risk]\nleverage = 200\nstop = 0.5\nconfidence = 1.2\ntimeout = \"2h\"\n").section("risk")
        #expect(error { _ = try section.int("leverage", default: 1, range: 1...125) }?.description
            == "config/x.toml:2: 'risk.leverage' = 200 is out of range 1...125")
        let stop = error { _ = try section.rate("stop", default: .zero, range: Rate(raw: 100_000)...Rate(raw: 20_000_000)) }
        #expect(stop?.kind == .outOfRange)
        #expect(stop?.description == "config/x.toml:3: 'risk.stop' = 0.5 is out of range 0.001...0.2")
        #expect(error { _ = try section.double("confidence", default: 0.5, range: 0...1) }?.description
            == "config/x.toml:4: 'risk.confidence' = 1.2 is out of range 0.0...1.0")
        #expect(error { _ = try section.duration("timeout", default: .zero, range: .seconds(1)...(.seconds(3600))) }?.description
            == "config/x.toml:5: 'risk.timeout' = \"2h\" is out of range 1s...1h")
    }

    @Test func missingRequiredKeyIsAnErrorNamingTheKey() throws {
        let doc = try document("[execution]\ntrigger_price_source = \"mark\"\n")
        let failure = error { _ = try doc.section("execution").requiredString("policy") }
        #expect(failure?.kind == .missingKey)
        #expect(failure?.key == "execution.policy")
        #expect(failure?.description == "config/x.toml:1: missing required key 'execution.policy' in [execution]")
        // A whole missing table: no line, still names the key.
        #expect(error { _ = try doc.section("exit").requiredRate("stop_loss") }?.description
            == "config/x.toml: missing required key 'exit.stop_loss' in [exit]")
    }

    @Test func choiceErrorListsAllowedValues() throws {
        enum Mode: String, CaseIterable { case fast, slow }
        let section = try document("mode = \"medium\"\nother = \"slow\"\n").rootSection
        #expect(error { _ = try section.choice("mode", default: Mode.fast) }?.description
            == "config/x.toml:1: 'mode' = \"medium\" is not one of: \"fast\", \"slow\"")
        #expect(try section.requiredChoice("other", as: Mode.self) == .slow)
        #expect(error { _ = try section.requiredChoice("absent", as: Mode.self) }?.kind == .missingKey)
    }

    @Test func unknownKeysAreReportedWithFullKeyAndLine() throws {
        let doc = try document("""
        [exit]
        stop_loss = 0.02
        stop_los = 0.03

        [exit.harvest]
        first = 0.4
        [orphan]
        [instruments.ATOMUSDT]
        tick = 0.001
        """)
        let exit = doc.section("exit")
        _ = try exit.rate("stop_loss", default: .zero)
        _ = try exit.section("harvest").rate("first", default: .zero)
        do {
            try doc.rejectUnusedKeys()
            Issue.record("expected unknown keys")
        } catch {
            #expect(error.errors.map(\.description) == [
                "config/x.toml:3: unknown key 'exit.stop_los'",
                "config/x.toml:7: unknown table 'orphan'",
                "config/x.toml:9: unknown key 'instruments.ATOMUSDT.tick'",
            ])
            #expect(error.errors.allSatisfy { $0.kind == .unknownKey })
        }
    }

    @Test func unknownKeySuggestsTheNearestRequestedKey() throws {
        let doc = try document("[exit]\nstop_los = 0.03\n")
        _ = try doc.section("exit").rate("stop_loss", default: .zero)
        #expect(throws: ConfigErrorList([ConfigError(
            kind: .unknownKey, file: "config/x.toml", line: 2, key: "exit.stop_los",
            message: "unknown key 'exit.stop_los' (did you mean 'exit.stop_loss'?)")])) {
            try doc.rejectUnusedKeys()
        }
    }

    @Test func dynamicTablesByKeys() throws {
        let doc = try document("""
        [instruments.ATOMUSDT]
        max_leverage = 20
        [instruments.ETHUSDT]
        max_leverage = 50
        """)
        let instruments = doc.section("instruments")
        #expect(instruments.keys == ["ATOMUSDT", "ETHUSDT"])
        var leverage: [String: Int] = [:]
        for name in instruments.keys {
            leverage[name] = try instruments.section(name).requiredInt("max_leverage", range: 1...125)
        }
        #expect(leverage == ["ATOMUSDT": 20, "ETHUSDT": 50])
        try doc.rejectUnusedKeys()
        #expect(doc.keyCount == 2)
    }

    @Test func aValueWhereATableBelongsIsAWrongType() throws {
        let doc = try document("exit = 3\n")
        #expect(error { _ = try doc.section("exit").rate("stop", default: .zero) }?.description
            == "config/x.toml:1: 'exit' must be a table, found integer 3")
    }

    @Test func crossKeyChecksUseInvalid() throws {
        let section = try document("[exit]\nstop = 0.02\ntarget = 0.01\n").section("exit")
        #expect(section.invalid("target", "must be above stop (0.02)").description
            == "config/x.toml:3: 'exit.target' must be above stop (0.02)")
    }

    @Test func mapperCollectsErrorsFromEverySection() throws {
        let doc = try document("[a]\nx = \"s\"\n[b]\ny = true\nz = 1\n")
        var mapper = ConfigMapper(doc)
        let a = mapper.map("a") { try $0.int("x", default: 0) }
        let b = mapper.map("b") { try $0.requiredInt("y") }
        #expect(a == nil && b == nil)
        #expect(mapper.errors.map(\.line) == [2, 4])
        // Section errors are reported without unread-key noise ('b.z' was never reached).
        #expect(throws: ConfigErrorList(mapper.errors)) { try mapper.finish() }
    }

    @Test func missingFileIsUnreadable() {
        #expect(error { _ = try ConfigDocument.load(path: "/nonexistent/qt.toml") }?.kind == .unreadable)
    }
}

/// Error messages never span lines, whatever the value holds.
@Suite struct ConfigErrorFormatTests {
    @Test func stringValuesAreEscapedInMessages() throws {
        let document = try ConfigDocument.parse(text: "[execution]\npolicy = \"exit\\nengine \\\"x\\\"\"\n", file: "c.toml")
        do {
            _ = try document.section("execution").requiredChoice("policy", allowed: ["exit-engine"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "c.toml:2: 'execution.policy' = \"exit\\nengine \\\"x\\\"\" is not one of: \"exit-engine\"")
            #expect(!error.description.contains("\n"))
        }
    }
}
