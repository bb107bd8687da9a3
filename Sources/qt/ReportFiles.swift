import Foundation
import Signals

/// report.json and report.html of a model directory.
enum ReportFiles {
    static func write(_ report: EvaluationReport, directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(report).write(to: URL(fileURLWithPath: "\(directory)/report.json"), options: .atomic)
        try Data(ReportHTML.render(report).utf8).write(to: URL(fileURLWithPath: "\(directory)/report.html"), options: .atomic)
    }

    static func read(directory: String) throws -> EvaluationReport {
        try EvaluationReport.read(directory: directory)
    }
}
