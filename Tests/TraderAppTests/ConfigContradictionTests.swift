import Testing
import TradingConfig
@testable import TraderApp

/// Configurations whose values contradict each other are refused with the key and its line,
/// instead of running with a check that can never pass or a target below zero.
@Suite struct ConfigContradictionTests {
    private func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try AppConfig(from: try ConfigDocument.parse(text: "[execution]\npolicy = \"exit-engine\"\n" + text, file: "c.toml"))
        } catch let list as ConfigErrorList {
            return list.errors
        } catch {
            Issue.record("unexpected \(error)")
        }
        return []
    }

    @Test func correlationOverlapAboveTheWindowIsRefused() throws {
        let found = errors("[validation]\ncorrelation_window = 10\ncorrelation_minimum_overlap = 24\n")
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.key == "validation.correlation_minimum_overlap")
        #expect(error.description == "c.toml:5: 'validation.correlation_minimum_overlap' (24) must not exceed correlation_window (10): "
                + "no window could ever overlap enough")
    }

    @Test func volatilityLookbackShorterThanItsWindowIsRefused() throws {
        #expect(errors("[validation]\nvolatility_window = 48\nvolatility_lookback = 24\n").first?.key == "validation.volatility_lookback")
    }

    @Test func aTakeProfitThatPutsAShortsTargetAtOrBelowZeroIsRefused() throws {
        let strategy = "[strategy]\nname = \"ema-cross\"\nentry_gate = \"fixed-notional\"\n"
        let error = try #require(errors(strategy + "take_profit = 1\n").first)
        #expect(error.key == "strategy.take_profit")
        #expect(error.line == 6)
        #expect(error.message.contains("a short's target, entry × (1 − take_profit), would be at or below zero"))
        #expect(errors(strategy + "take_profit = 0.9999\n").isEmpty)
    }

    @Test func anExitTargetMoveBeyondOneHundredPercentIsRefused() throws {
        // 0.5 × 2.05 = 102.5% for the third target.
        let error = try #require(errors("[exit]\nbase_target_move = 0.5\n").first)
        #expect(error.key == "exit.base_target_move")
        #expect(error.message.contains("puts the third target up to 102.5% from entry"))
        #expect(errors("[exit]\nbase_target_move = 0.48\n").isEmpty)
        // With widening the bound shrinks: 0.2 × 2.05 × (1 + 1.5) = 102.5%.
        #expect(errors("[exit]\nbase_target_move = 0.2\nvolatility_widening = true\nvolatility_max_extra = 1.5\n").first?.key
                == "exit.base_target_move")
    }
}

/// Found by the ConfigMapper fuzz target: a value quoted in a message printed its tab raw.
@Suite struct ConfigMessageEscapingTests {
    @Test func aControlCharacterInAQuotedValueIsEscaped() throws {
        do {
            _ = try AppConfig(from: try ConfigDocument.parse(text: "[execution]\npolicy = \"r\\teference\"\n", file: "c.toml"))
            Issue.record("expected an error")
        } catch let list as ConfigErrorList {
            let line = try #require(list.errors.first).description
            #expect(line == "c.toml:2: 'execution.policy' = \"r\\teference\" is not one of: \"exit-engine\", \"reference-bracket\"")
        }
    }
}
