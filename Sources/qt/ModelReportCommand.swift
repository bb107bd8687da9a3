import ArgumentParser
import Foundation
import Signals
import TradingModel

/// `qt model report MODEL_DIR`: prints the out-of-sample figures and (re)writes report.html.
struct ModelReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the walk-forward out-of-sample figures of a model directory and write report.html."
    )

    @Argument(help: "Directory written by `qt train`.")
    var modelDirectory: String

    @Flag(name: .long, help: "Open report.html with xdg-open/open when available.")
    var open = false

    @Option(name: .long, parsing: .upToNextOption,
            help: "One-minute kline files after the training window: adds the drift check and the chosen threshold's held-out figures.")
    var data: [String] = []

    func run() throws {
        do {
            let report = try ReportFiles.read(directory: modelDirectory)
            let ensemble = try SignalEnsemble.load(directory: modelDirectory)
            print("model: ml-ensemble@\(ensemble.version): " + ensemble.members.map { $0.model.describe() }.joined(separator: "; "))
            for line in ReportText.lines(report) { print(line) }
            if !data.isEmpty {
                print("")
                for line in ReportText.heldOut(try heldOut(ensemble: ensemble, report: report)) { print(line) }
            }
            try ReportFiles.write(report, directory: modelDirectory)
            let html = "\(modelDirectory)/report.html"
            print("report: \(html)")
            if open { Self.openInBrowser(html) }
        } catch {
            FileHandle.standardError.write(Data("qt model report: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The model on `--data`: refused when the data reaches into the training window.
    func heldOut(ensemble: SignalEnsemble, report: EvaluationReport) throws -> HeldOutEvaluation {
        let (candles, funding) = try TrainRunner.load(data)
        let manifest = ensemble.manifest
        guard let first = candles.values.compactMap({ $0.first?.openTime }).min(),
              let last = candles.values.compactMap({ $0.last?.openTime }).max() else {
            throw TrainError("--data \(data.joined(separator: " ")): no one-minute candles in these files")
        }
        if manifest.overlapsTraining(start: first, end: last) {
            throw TrainError("--data \(first)...\(last) overlaps the model's training window \(manifest.trainingStart)...\(manifest.trainingEnd) "
                             + "(plus the label horizon): held-out figures need later data")
        }
        let dataset = try SignalDataset.build(candles: candles, funding: funding, featureSet: manifest.featureSet,
                                              labelSettings: manifest.labelSettings, decisionIntervalMinutes: manifest.decisionIntervalMinutes,
                                              contextSource: manifest.marketContext)
        return try HeldOutEvaluation.compute(ensemble: ensemble, dataset: dataset, report: report)
    }

    static func openInBrowser(_ path: String) {
        for tool in ["/usr/bin/xdg-open", "/usr/bin/open"] where FileManager.default.isExecutableFile(atPath: tool) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [path]
            try? process.run()
            return
        }
        print("no browser opener found; open \(path) yourself")
    }
}
