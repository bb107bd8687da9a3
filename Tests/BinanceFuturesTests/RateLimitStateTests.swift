import BinanceFutures
import Testing
import TradingModel

/// `RateLimitState` alone: usage per window, protective requests, order-count reserve, bounded waits.
@Suite("Rate-limit state")
struct RateLimitStateTests {
    /// 20 s into a minute.
    let now = Timestamp(milliseconds: 1_700_000_000_000)
    let read = RequestCost(weight: 5)
    let entry = RequestCost(weight: 0, orders: 1)
    let close = RequestCost(weight: 0, orders: 1, protective: true)
    let cancel = RequestCost(weight: 1, protective: true)

    @Test func usageBelongsToItsMinuteAndExpiresWithIt() {
        var state = RateLimitState(limits: .init(weightPerMinute: 10))
        #expect(state.admit(read, at: now) == nil)
        #expect(state.admit(read, at: now) == nil)
        // 10 of 10 used: the next read waits 40 s (to 1_700_000_040_000), and is not booked.
        #expect(state.admit(read, at: now) == .seconds(40))
        #expect(state.usedWeight(at: now) == 10)
        let nextMinute = Timestamp(milliseconds: 1_700_000_040_000)
        #expect(state.usedWeight(at: nextMinute) == 0)
        #expect(state.admit(read, at: nextMinute) == nil)
        // A header from a request sent in the previous minute does not count in this one.
        state.observe(headers: [(name: "X-MBX-USED-WEIGHT-1M", value: "10")], sentAt: now, receivedAt: nextMinute)
        #expect(state.usedWeight(at: nextMinute) == 5)
    }

    @Test func protectiveRequestsIgnoreTheWeightBudgetAndWeightlessOnesA429() {
        var state = RateLimitState(limits: .init(weightPerMinute: 5))
        #expect(state.admit(read, at: now) == nil)
        #expect(state.admit(read, at: now) != nil)
        #expect(state.admit(cancel, at: now) == nil)
        #expect(state.admit(close, at: now) == nil)
        // After a 429 on the IP weight: weightless protective orders still go; a weighted cancel waits.
        let backOff = state.rateLimited(status: 429, code: -1003, retryAfterHeader: "7", bannedUntil: nil, at: now)
        #expect(backOff == .seconds(7))
        #expect(state.admit(close, at: now) == nil)
        #expect(state.admit(cancel, at: now) == .seconds(7))
        #expect(state.admit(entry, at: now) == .seconds(7))
        // A 418 ban stops everything, bounded.
        _ = state.rateLimited(status: 418, code: -1003, retryAfterHeader: nil, bannedUntil: now.advanced(by: .seconds(120)), at: now)
        #expect(state.admit(close, at: now) == .seconds(120))
    }

    @Test func entriesLeaveAReserveOfTheOrderCountForProtectiveOrders() {
        var state = RateLimitState(limits: .init(ordersPerTenSeconds: 20, ordersPerMinute: 1200))
        for _ in 0..<18 { #expect(state.admit(entry, at: now) == nil) }
        // 20 per 10 s, 2 kept for protection: the 19th entry waits for the next 10 s window.
        #expect(state.admit(entry, at: now) == .seconds(10))
        #expect(state.admit(close, at: now) == nil)
        #expect(state.admit(close, at: now) == nil)
        #expect(state.admit(close, at: now) == .seconds(10))
        #expect(state.admit(entry, at: now.advanced(by: .seconds(10))) == nil)
        // -1015 from the venue: order placements wait, reads do not.
        _ = state.rateLimited(status: 429, code: -1015, message: "Too many new orders; current limit is 300 orders per 10 SECONDS.",
                              retryAfterHeader: nil, bannedUntil: nil, at: now)
        #expect(state.admit(close, at: now) == .seconds(10))
        #expect(state.admit(read, at: now) == nil)
    }

    @Test(arguments: ["99999999999999999999", "-1", "", "1e9", "3600000000"])
    func backOffIsBoundedWhateverRetryAfterSays(_ header: String) {
        let wait = RateLimitState.backOff(retryAfterHeader: header, bannedUntil: nil, now: now, fallback: .seconds(40), maximum: .seconds(300))
        #expect(wait >= .zero && wait <= .seconds(300))
        let banned = RateLimitState.backOff(retryAfterHeader: header, bannedUntil: Timestamp(milliseconds: .max), now: now,
                                            fallback: .seconds(40), maximum: .seconds(300))
        #expect(banned == .seconds(300))
    }

    @Test func nonsenseLimitsFromExchangeInfoAreIgnored() {
        var state = RateLimitState()
        state.adopt(weightPerMinute: 0, ordersPerTenSeconds: -5, ordersPerMinute: nil)
        #expect(state.limits == RateLimitState.Limits())
    }
}
