import Testing
import TradingModel

/// Times from a damaged store row (`Int64.min`) once trapped `qt status` while being formatted:
/// they are refused where they enter, and formatting or day arithmetic on any value never traps.
@Suite struct TimestampRangeTests {
    @Test func theRangeEndsAreYearOneAndYear9999() {
        let first = Timestamp.representableRange.lowerBound, last = Timestamp.representableRange.upperBound
        #expect(Timestamp(milliseconds: first).iso8601 == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp(milliseconds: last).iso8601 == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp(checkedMilliseconds: first) == Timestamp(milliseconds: first))
        #expect(Timestamp(checkedMilliseconds: last) == Timestamp(milliseconds: last))
        #expect(Timestamp(checkedMilliseconds: first - 1) == nil)
        #expect(Timestamp(checkedMilliseconds: last + 1) == nil)
    }

    @Test(arguments: [Int64.min, Int64.min + 1, -62_135_596_800_001, 253_402_300_800_000, Int64.max])
    func formattingOutsideTheRangeSaysSoInsteadOfTrapping(milliseconds: Int64) {
        #expect(Timestamp(checkedMilliseconds: milliseconds) == nil)
        #expect(Timestamp(milliseconds: milliseconds).iso8601 == "out-of-range(\(milliseconds) ms)")
        #expect(Timestamp(milliseconds: milliseconds).description == "out-of-range(\(milliseconds) ms)")
    }

    @Test func theUTCDayOfTheExtremesIsComputedWithoutOverflow() {
        // Int64.min = -106,751,991,167 days and -25,975,808 ms (floor: one day earlier).
        #expect(Timestamp(milliseconds: .min).utcDay == -106_751_991_168)
        #expect(Timestamp(milliseconds: .max).utcDay == 106_751_991_167)
        #expect(Timestamp(milliseconds: -1).utcDay == -1)
        #expect(Timestamp(milliseconds: -86_400_000).utcDay == -1)
        #expect(Timestamp(milliseconds: -86_400_001).utcDay == -2)
        #expect(Timestamp(milliseconds: 0).utcDay == 0)
    }
}
