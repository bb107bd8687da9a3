import ArgumentParser
import Foundation
import Signals

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

    func run() throws {
        do {
            let report = try ReportFiles.read(directory: modelDirectory)
            let ensemble = try SignalEnsemble.load(directory: modelDirectory)
            print("model: ml-ensemble@\(ensemble.version): " + ensemble.members.map { $0.model.describe() }.joined(separator: "; "))
            for line in ReportText.lines(report) { print(line) }
            try ReportFiles.write(report, directory: modelDirectory)
            let html = "\(modelDirectory)/report.html"
            print("report: \(html)")
            if open { Self.openInBrowser(html) }
        } catch {
            FileHandle.standardError.write(Data("qt model report: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
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
