import Testing
import TradingEngine

@Suite struct LosingStreakTests {
    @Test func currentStreakIsTheTrailingLosses() {
        #expect(LosingStreak.current([true, false, true, false, false]) == 2)
        #expect(LosingStreak.current([false, true]) == 0)
        #expect(LosingStreak.current([]) == 0)
    }

    @Test func probabilityByCountingSequences() {
        // 3 trades, 3 losses in a row at q = ½: only LLL → 1/8
        #expect(LosingStreak.probability(ofAtLeast: 3, in: 3, lossRate: 0.5) == 0.125)
        // 4 trades: LLLW, LLLL, WLLL → 3/16
        #expect(LosingStreak.probability(ofAtLeast: 3, in: 4, lossRate: 0.5) == 0.1875)
        // 2 in a row in 3 trades at q = 0.4: LLx (0.16) + WLL (0.6 × 0.16 = 0.096) → 0.256
        #expect(abs(LosingStreak.probability(ofAtLeast: 2, in: 3, lossRate: 0.4) - 0.256) < 1e-12)
        #expect(LosingStreak.probability(ofAtLeast: 5, in: 4, lossRate: 0.9) == 0)
        #expect(LosingStreak.probability(ofAtLeast: 1, in: 1, lossRate: 1) == 1)
    }
}
