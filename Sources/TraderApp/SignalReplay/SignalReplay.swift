import Backtest
import TradingEngine
import TradingModel

/// `qt backtest --signals FILE`: externally supplied signals replayed through the configured
/// entry gate (the validator) and exit owner (the exit engine) on the candles, with what became
/// of each signal.
public enum SignalReplay {
    /// What became of one supplied signal.
    public struct Outcome: Sendable {
        public var signal: ExternalSignal
        /// The gate's decision (nil: no bar closed after the signal's time in the data).
        public var decision: EntryDecision?
        public var decidedAt: Timestamp?
        /// The trade it opened, when approved and filled.
        public var trade: ClosedTrade?
        /// A position of the symbol that was open at the signal's time (why an unjudged signal was not judged).
        public var openPosition: ClosedTrade?
    }

    public struct Result: Sendable {
        public var backtest: BacktestRunResult
        public var outcomes: [Outcome]
    }

    /// Runs the replay. Every signal's symbol must be in the data; the signals must lie within it.
    public static func run(config: AppConfig, dataFiles: [String], signals: [ExternalSignal], outputDirectory: String?,
                           store: (any TradeStore)?, createStore: (() throws -> any TradeStore)? = nil,
                           recordsRun: Bool = true, progress: ((Int64, Int64) -> Void)? = nil) throws -> Result {
        let data = try BacktestData.load(files: dataFiles, fundingFiles: config.backtest.fundingFiles)
        for signal in signals where !data.symbols.contains(signal.symbol) {
            throw BacktestRunError("signals line \(signal.line): \(signal.symbol) is not in the data (\(data.symbols.map(\.name).joined(separator: ", ")))")
        }
        let strategies = data.symbols.map { ReplayedSignals(symbol: $0, signals: signals) }
        let result = try BacktestRunner.run(config: config, data: data, strategies: strategies, dataFiles: dataFiles,
                                            outputDirectory: outputDirectory, store: store, createStore: createStore, recordsRun: recordsRun,
                                            additions: BacktestRunAdditions(name: "signals-file"), progress: progress)
        let outcomes = signals.map { signal -> Outcome in
            let decided = result.output.decisions.first { $0.decision.judgedSignal.source == "signals-file:\(signal.line)" }
            var outcome = Outcome(signal: signal, decision: decided?.decision, decidedAt: decided?.time)
            outcome.openPosition = result.output.trades.first { $0.symbol == signal.symbol && $0.entryTime <= signal.time && $0.exitTime > signal.time }
            if let decided, decided.decision.isApproved {
                outcome.trade = result.output.trades.first { $0.symbol == signal.symbol && $0.entryTime >= decided.time }
            }
            return outcome
        }
        return Result(backtest: result, outcomes: outcomes)
    }

    /// One block of lines per signal: the decision with every reason, and the trade's outcome.
    public static func lines(_ outcomes: [Outcome]) -> [String] {
        var lines: [String] = []
        for outcome in outcomes {
            let signal = outcome.signal
            let asked = "\(signal.time) \(signal.symbol) \(signal.side.rawValue)"
                + (signal.confidence.map { " confidence \(DisplayNumber.fixed($0, 2))" } ?? "") + (signal.leverage.map { " \($0)x" } ?? "")
            lines.append("signal line \(signal.line): \(asked)")
            guard let decision = outcome.decision, let decidedAt = outcome.decidedAt else {
                if let open = outcome.openPosition {
                    lines.append("  not judged: a \(open.side.rawValue) position in \(signal.symbol) (entered \(open.entryTime)) was open; "
                                 + (open.side == signal.side ? "a signal in the same direction is dropped while in a position"
                                                             : "the signal reversed it, and the new entry was not judged"))
                } else {
                    lines.append("  not judged: no bar of \(signal.symbol) closed at or after its time in the data")
                }
                continue
            }
            switch decision {
            case .rejected(_, let reasons):
                lines.append("  REJECTED at \(decidedAt) by the entry gate:")
                lines += reasons.map { "    - \($0)" }
            case .approved(let entry):
                let leverage = signal.leverage.map { $0 == entry.leverage ? "" : " (the signal asked for \($0)x)" } ?? ""
                lines.append("  APPROVED at \(decidedAt): \(entry.quantity) at \(entry.leverage)x\(leverage), stop \(entry.plan.stopPrice)")
                guard let trade = outcome.trade else {
                    lines.append("  no trade: the entry did not fill, or the position was still open at the end of the data")
                    continue
                }
                let move = Double(trade.side.sign) * trade.exitPrice.relativeChange(from: trade.entryPrice, .nearest).percent
                lines.append("  exit engine: entered \(trade.entryPrice) at \(trade.entryTime), exited \(trade.exitPrice) at \(trade.exitTime) "
                             + "(\(trade.exitReason.rawValue)); price move \(DisplayNumber.fixed(move, 2))%, net PnL \(trade.netPnL) USDT"
                             + (trade.targetsHit.isEmpty ? "" : ", targets hit " + trade.targetsHit.map { "TP\($0)" }.joined(separator: " ")))
            }
        }
        return lines
    }
}

extension EntryDecision {
    /// The signal the decision is about.
    var judgedSignal: Signal {
        switch self {
        case .approved(let entry): entry.signal
        case .rejected(let signal, _): signal
        }
    }
}
