import Testing
import TradingEngine
import TradingModel

/// Client order ids: `qt-<run>-<sequence>-<purpose>`, and an exit owner's generator derived from
/// the kernel's (`<run>p<position number>`) equal to one made from that tag's text.
@Suite("ClientOrderIDGenerator: ids and derived owner generators")
struct ClientOrderIDGeneratorTests {
    @Test("ids and the run tag read back from the inline prefix", arguments: ["b", "k", "00010", "abcdefghijkl"])
    func idsAndRunTag(tag: String) {
        var generator = ClientOrderIDGenerator(runTag: tag)
        #expect(generator.runTag == tag)
        #expect(generator.next(.entry).value == "qt-\(tag)-1-en")
        #expect(generator.next(.stopLoss).value == "qt-\(tag)-2-sl")
        var resumed = ClientOrderIDGenerator(runTag: tag, startingAt: 41)
        #expect(resumed.next(.backstop).value == "qt-\(tag)-42-bs")
    }

    @Test("a derived generator equals one made from <run><separator><number> and makes the same ids",
          arguments: [("k", Int64(1)), ("b", 9), ("b", 10), ("00010", 19_804), ("abcde", 999_999), ("ab", 0)])
    func derived(tag: String, number: Int64) {
        let expectedTag = "\(tag)p\(number)"
        var derived = ClientOrderIDGenerator(runTag: tag, startingAt: 7).derived(separator: UInt8(ascii: "p"), number)
        var made = ClientOrderIDGenerator(runTag: expectedTag)
        #expect(derived == made)
        #expect(derived.runTag == expectedTag && derived.sequence == 0)
        #expect(derived.next(.takeProfit) == made.next(.takeProfit))
        #expect(derived.next(.exit).value == "qt-\(expectedTag)-2-ex")
    }
}
