import Testing
import TradingModel

@Suite("Fixed-point values")
struct FixedPointTests {
    @Test("parses decimal text exactly", arguments: [
        ("2.224", Int64(222_400_000)), ("0.00000001", 1), ("-11.9", -1_190_000_000), ("1e-5", 1_000),
        ("13.184", 1_318_400_000), ("+3", 300_000_000), ("0.123456789", 12_345_679), ("1.5E2", 15_000_000_000),
    ])
    func parse(text: String, raw: Int64) {
        #expect(Price(text)?.raw == raw)
    }

    @Test("rejects non-decimals", arguments: ["", "NaN", "nan", "inf", "-", "1.2.3", "1e", "abc", "1,5", "99999999999999999999"])
    func rejects(text: String) {
        #expect(Price(text) == nil)
    }

    @Test("formats without float noise")
    func format() {
        #expect(Price("2.2500")!.description == "2.25")
        #expect(Price("2.25")!.formatted(decimals: 3) == "2.250")
        #expect(Money("-0.05")!.description == "-0.05")
        #expect(Quantity(units: 446).description == "446")
        #expect(Money(raw: 1).description == "0.00000001")
    }

    @Test("notional = price × quantity, exact")
    func notional() {
        // 446.03 × 2.224 = 991.97072
        #expect(Price("2.224")!.notional(Quantity("446.03")!, .nearest) == Money("991.97072")!)
        // 75.87 × 13.184 = 1000.27008
        #expect(Price("13.184")!.notional(Quantity("75.87")!, .nearest) == Money("1000.27008")!)
    }

    @Test("rounding rules are explicit")
    func rounding() {
        let step = Price("0.001")!
        let value = Price("2.2506880")!
        #expect(value.rounded(toMultipleOf: step, .down) == Price("2.250")!)
        #expect(value.rounded(toMultipleOf: step, .up) == Price("2.251")!)
        #expect(value.rounded(toMultipleOf: step, .nearest) == Price("2.251")!)
        #expect(Price("-1.0005")!.rounded(toMultipleOf: step, .nearest) == Price("-1.001")!)
        #expect(Price("-1.0005")!.rounded(toMultipleOf: step, .towardZero) == Price("-1.000")!)
    }

    @Test("relative moves")
    func moves() {
        // 2.224 × 1.012 = 2.250688
        #expect(Price("2.224")!.moved(by: Rate("0.012")!, .nearest) == Price("2.250688")!)
        // 2.224 × 0.988 = 2.197312
        #expect(Price("2.224")!.moved(by: -Rate("0.012")!, .nearest) == Price("2.197312")!)
        // (2.262 − 2.224) / 2.224 = 0.0170863…
        #expect(Price("2.262")!.relativeChange(from: Price("2.224")!, .nearest) == Rate("0.01708633")!)
    }

    @Test("money × rate and money / price")
    func moneyOps() {
        // taker fee 0.05% of 991.97072 = 0.49598536
        #expect(Money("991.97072")!.times(Rate("0.0005")!, .nearest) == Money("0.49598536")!)
        // 1000 / 13.184 = 75.84951456… floored to 1e-8
        #expect(Money(units: 1000).quantity(at: Price("13.184")!, .down) == Quantity("75.84951456")!)
        #expect(Money(units: 100).divided(by: 3, .down) == Money("33.33333333")!)
        #expect(Money(units: 1).ratio(to: .zero, .nearest) == nil)
    }

    @Test("timestamps format as ISO 8601 UTC and parse back")
    func timestamps() {
        let t = Timestamp(milliseconds: 1_675_209_600_000)
        #expect(t.iso8601 == "2023-02-01T00:00:00.000Z")
        #expect(Timestamp(iso8601: "2023-02-01") == t)
        #expect(Timestamp(iso8601: "2023-02-01T00:01Z") == Timestamp(milliseconds: 1_675_209_660_000))
        #expect(Timestamp(milliseconds: -1).iso8601 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(iso8601: "2023-13-01") == nil)
    }
}
