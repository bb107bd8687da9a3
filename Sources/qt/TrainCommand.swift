import ArgumentParser
import TradingConfig
import Foundation
import Signals
import TraderApp

/// `qt train --config FILE --data FILE...`: walk-forward evaluation plus a final ensemble.
/// Writes models, metadata sidecars, report.json and report.html into the model directory.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the XGBoost + LightGBM ensemble with purged walk-forward evaluation and write an out-of-sample report."
    )

    @Option(name: .long, help: "TOML file with a [train] section (see config/train-demo.toml).")
    var config: String

    @Option(name: .long, parsing: .upToNextOption, help: "One-minute kline files (.csv/.csv.gz), optionally funding files, one symbol per file.")
    var data: [String]

    @Option(name: .long, help: "Model directory (overrides [train] model_dir).")
    var output: String?

    @Option(name: .long, help: "Ensemble members, comma-separated, any subset of xgb,lgbm,nhits,tft (overrides [train] models; nhits and tft need the libtorch plugin built by make bootstrap).")
    var models: String?

    func validate() throws {
        guard !data.isEmpty else { throw ValidationError("give at least one --data FILE") }
    }

    func run() throws {
        do {
            let document = try ConfigDocument.load(path: config)
            var trainConfig = try TrainConfig(document: document)
            if let models {
                trainConfig.plan.models = models.split(separator: ",").map { TrainingPlan.modelKind(named: $0.trimmingCharacters(in: .whitespaces)) }
                do { try trainConfig.plan.validate() } catch { Self.fail("--models: \(error)") }
            }
            let directory = output ?? trainConfig.modelDirectory
            let report = try TrainRunner(plan: trainConfig.plan, dataFiles: data, directory: directory,
                                         exitConfiguration: trainConfig.exitConfiguration).run()
            for line in ReportText.trainSummary(report, directory: directory) { print(line) }
        } catch let error as ConfigError {
            Self.fail(error.description)
        } catch let list as ConfigErrorList {
            Self.fail(list.description)
        } catch let error as ExitCode {
            throw error
        } catch {
            Self.fail("\(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("qt train: error: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
