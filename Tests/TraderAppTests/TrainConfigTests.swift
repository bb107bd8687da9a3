import Signals
import Testing
import TradingConfig
import TraderApp
import TradingTestSupport

/// `qt train`'s `[train]` section: the statistics and cost keys reach the plan, and a wrong
/// value or an unknown key is an error naming it.
@Suite(.ownThread) struct TrainConfigTests {
    static func config(_ text: String) throws -> TrainConfig {
        try TrainConfig(document: try ConfigDocument.parse(text: text, file: "train.toml"))
    }

    @Test func theNearConfigurationReachesThePlan() throws {
        let config = try TrainConfig(document: try ConfigDocument.load(path: BacktestConfigTests.root + "/config/train-near.toml"))
        let plan = config.plan
        #expect(config.modelDirectory == "runs/model-near" && config.exitConfiguration == "examples/ml-near.toml")
        #expect(plan.labelSettings.slippageBasisPoints == 2 && plan.labelSettings.assumedFundingRate == 0.0001)
        #expect(plan.labelSettings.horizonBars == 240 && plan.walkForward.embargoMinutes == 60 && plan.decisionIntervalMinutes == 15)
        #expect(plan.statistics == StatisticsSettings(bootstrapResamples: 2000, bootstrapBlockDays: nil, overfittingPartitions: 16,
                                                      randomBaselineDraws: 200, minimumCalibrationTrades: 10, leaveOneSymbolOut: false))
        #expect(plan.edge.minimumTrades == 30 && plan.baselineSeed == 42)
        let demo = try TrainConfig(document: try ConfigDocument.load(path: BacktestConfigTests.root + "/config/train-demo.toml"))
        #expect(demo.plan.statistics.leaveOneSymbolOut == false && demo.exitConfiguration == nil)
    }

    @Test func statisticsKeysAreRead() throws {
        let config = try Self.config("""
            [train]
            [train.statistics]
            bootstrap_resamples = 500
            bootstrap_block_days = 3
            overfitting_partitions = 8
            random_baseline_draws = 20
            minimum_calibration_trades = 5
            leave_one_symbol_out = true
            """)
        #expect(config.plan.statistics == StatisticsSettings(bootstrapResamples: 500, bootstrapBlockDays: 3, overfittingPartitions: 8,
                                                             randomBaselineDraws: 20, minimumCalibrationTrades: 5, leaveOneSymbolOut: true))
    }

    @Test(arguments: [("[train.statistics]\noverfitting_partitions = 5", "overfitting_partitions"),
                      ("[train.statistics]\nbootstrap_resamples = 10", "bootstrap_resamples"),
                      ("[train.labels]\nslippage_bps = -1", "slippage_bps"),
                      ("[train.statistics]\nbootstrap = 3", "bootstrap")])
    func aWrongValueOrUnknownKeyIsNamed(section: String, key: String) {
        do {
            _ = try Self.config("[train]\n" + section + "\n")
            Issue.record("accepted \(section)")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }
}
