import Backtest
import Foundation
import TradingEngine
import TradingModel

/// `signals.csv` of an `ml-ensemble` run: every signal the model produced, with its model
/// version, feature hash and what became of it (`approved`, `rejected` by the entry gate, or
/// `ignored` by the kernel: same side as the open position or an entry already in flight).
enum MLSignalLog {
    static let header = "time,symbol,side,confidence,source,feature_hash,outcome"

    static func csv(signals: [Signal], decisions: [BacktestDecision]) -> String {
        var outcomes: [Signal: String] = [:]
        for decision in decisions {
            switch decision.decision {
            case .approved(let entry): outcomes[entry.signal] = "approved"
            case .rejected(let signal, _): outcomes[signal] = "rejected"
            }
        }
        var text = header + "\n"
        for signal in signals {
            let confidence = signal.confidence.map { String(format: "%.4f", $0) } ?? ""
            text += "\(signal.time.iso8601),\(signal.symbol),\(signal.side),\(confidence),\(signal.source),"
            text += "\(signal.featureHash ?? ""),\(outcomes[signal] ?? "ignored")\n"
        }
        return text
    }

    /// Writes `signals.csv` into the run folder (temporary name, then renamed).
    static func write(signals: [Signal], decisions: [BacktestDecision], directory: String) throws {
        let path = directory + "/signals.csv"
        let partial = path + ".partial"
        try Data(csv(signals: signals, decisions: decisions).utf8).write(to: URL(fileURLWithPath: partial))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
    }
}
