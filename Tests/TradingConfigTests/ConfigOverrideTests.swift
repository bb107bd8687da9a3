import Testing
import TradingConfig

@Suite struct ConfigOverrideTests {
    private let text = """
    [strategy]
    name = "ema-cross"
    fast_period = 12

    [exit]
    price_source = "last"
    """

    @Test func replacesAndAddsSettings() throws {
        let document = try ConfigDocument.parse(text: text, file: "base.toml")
            .overriding(["strategy.fast_period=8", "exit.price_source = \"mark\"", "strategy.slow_period=50", "risk.max_positions=2"])
        #expect(try document.section("strategy").int("fast_period", default: 0) == 8)
        #expect(try document.section("strategy").int("slow_period", default: 0) == 50)
        #expect(try document.section("exit").string("price_source", default: "") == "mark")
        #expect(try document.section("risk").int("max_positions", default: 0) == 2)
        #expect(document.text.hasPrefix(text) && document.text.contains("# --set strategy.fast_period = 8"))
        #expect(document.section("strategy").line(of: "fast_period") == 3, "a replaced setting keeps its line")
    }

    @Test func overrideOfAnUnreadKeyIsReportedAsUnknown() throws {
        let document = try ConfigDocument.parse(text: text, file: "base.toml").overriding(["strategy.fast_perod=8"])
        _ = try document.section("strategy").string("name", default: "")
        _ = try document.section("strategy").int("fast_period", default: 0)
        _ = try document.section("exit").string("price_source", default: "")
        do {
            try document.rejectUnusedKeys()
            Issue.record("expected the mistyped key to be refused")
        } catch {
            #expect(error.errors.first?.description == "base.toml (--set): unknown key 'strategy.fast_perod'")
        }
    }

    @Test(arguments: ["strategy.fast_period", "strategy..x=1", "strategy=1", "strategy.name.x=1", "strategy.fast_period=[1,", "a b=1"])
    func badOverridesAreErrors(assignment: String) {
        #expect(throws: ConfigError.self) { _ = try ConfigDocument.parse(text: text, file: "base.toml").overriding([assignment]) }
    }
}
