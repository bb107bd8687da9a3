import Foundation
import TradingModel

/// A signal supplied from outside (`qt backtest --signals FILE`): what another bot or a person
/// would have traded.
public struct ExternalSignal: Sendable, Hashable {
    public var time: Timestamp
    public var symbol: Symbol
    public var side: Side
    public var confidence: Double?
    /// The leverage the source asked for (the validator sizes its own; shown beside it).
    public var leverage: Int?
    /// Line in the file (for messages).
    public var line: Int

    public init(time: Timestamp, symbol: Symbol, side: Side, confidence: Double?, leverage: Int?, line: Int) {
        self.time = time
        self.symbol = symbol
        self.side = side
        self.confidence = confidence
        self.leverage = leverage
        self.line = line
    }

    /// Reads a CSV file: header `time,symbol,side,confidence[,leverage]`, one signal per line;
    /// `time` a UTC day/time (`2026-01-03T10:00Z`) or epoch milliseconds, `side` LONG or SHORT,
    /// `confidence` 0…1 or empty, `leverage` 1…125 or empty. Blank lines and `#` comments are
    /// skipped. Any other value is an error naming the file, line and field.
    public static func read(path: String) throws(BacktestRunError) -> [ExternalSignal] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw BacktestRunError("--signals \(path): cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(BacktestRunError) -> [ExternalSignal] {
        var signals: [ExternalSignal] = []
        var header: [String]?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty || content.hasPrefix("#") { continue }
            let fields = content.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let columns = header else {
                let expected = ["time", "symbol", "side", "confidence"]
                guard Array(fields.prefix(4)).map({ $0.lowercased() }) == expected, fields.count <= 5,
                      fields.count == 4 || fields[4].lowercased() == "leverage" else {
                    throw BacktestRunError("\(file):\(line): the header must be time,symbol,side,confidence[,leverage]")
                }
                header = fields.map { $0.lowercased() }
                continue
            }
            guard fields.count == columns.count else {
                throw BacktestRunError("\(file):\(line): \(fields.count) fields, the header has \(columns.count)")
            }
            func fail(_ field: String, _ value: String, _ expected: String) -> BacktestRunError {
                BacktestRunError("\(file):\(line): \(field) '\(value.prefix(40))' is not \(expected)")
            }
            let time: Timestamp
            if let parsed = Timestamp(iso8601: fields[0]) { time = parsed } else if let millis = Int64(fields[0]), millis > 0 {
                time = Timestamp(milliseconds: millis)
            } else { throw fail("time", fields[0], "a UTC time (2026-01-03T10:00Z) or epoch milliseconds") }
            guard let symbol = Symbol(fields[1].uppercased()) else { throw fail("symbol", fields[1], "a symbol (ATOMUSDT)") }
            guard let side = Side(rawValue: fields[2].uppercased()) else { throw fail("side", fields[2], "LONG or SHORT") }
            var confidence: Double?
            if !fields[3].isEmpty {
                guard let value = Double(fields[3]), value.isFinite, (0...1).contains(value) else { throw fail("confidence", fields[3], "a number from 0 to 1") }
                confidence = value
            }
            var leverage: Int?
            if columns.count == 5, !fields[4].isEmpty {
                let text = fields[4].lowercased().hasSuffix("x") ? String(fields[4].dropLast()) : fields[4]
                guard let value = Int(text), (1...125).contains(value) else { throw fail("leverage", fields[4], "a leverage from 1 to 125") }
                leverage = value
            }
            signals.append(ExternalSignal(time: time, symbol: symbol, side: side, confidence: confidence, leverage: leverage, line: line))
        }
        guard header != nil else { throw BacktestRunError("\(file): no header (time,symbol,side,confidence[,leverage])") }
        guard !signals.isEmpty else { throw BacktestRunError("\(file): no signals after the header") }
        return signals.sorted { ($0.time, $0.line) < ($1.time, $1.line) }
    }
}
