import Foundation
import Research
import TraderApp
import TradingEngine
import TradingModel
import TradingConfig

/// Records each sweep unit's result in the store of the sweep's base configuration: one
/// finished `backtest` run per unit, its result line as the run summary and the sweep, unit,
/// dataset and settings in its detail.
final class SweepStoreRecorder: Sendable {
    let store: any TradeStore
    let storePath: String
    let sweepName: String
    let engine: String

    init(configPath: String, sweepName: String, engine: String) throws {
        let config: AppConfig
        do { config = try AppConfig.load(path: configPath) } catch {
            throw BacktestRunError(error.errors.map(\.description).joined(separator: "; "))
        }
        store = try TradeStoreFactory.make(config.storage, forBacktest: true)
        storePath = config.storage.path
        self.sweepName = sweepName
        self.engine = engine
    }

    func record(_ result: SweepUnitResult) {
        let now = SystemClock().now
        let settings = result.unit.parameters.map { "\($0.key)=\($0.literal)" }.joined(separator: " ")
        let detail = "sweep \(sweepName) unit \(result.unit.id) (\(engine)) \(result.unit.dataset): \(settings)"
        do {
            let id = try store.beginRun(RunRecord(kind: .backtest, startedAt: now, configHash: "sweep:\(sweepName)", detail: detail))
            try store.finishRun(id: id, finishedAt: now, summaryJSON: result.line)
        } catch {
            FileHandle.standardError.write(Data("warning: unit \(result.unit.id) not recorded in the store: \(error)\n".utf8))
        }
    }
}
