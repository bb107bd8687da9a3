import Foundation
import TradingEngine
import TradingModel

/// The core of `qt risk status|halt|resume`: reads and writes the manual risk state and its
/// events in the store. Time and the person's name are passed in (the CLI reads the clock).
public enum RiskControl {
    /// Why a risk command was refused.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// What a command did, for the CLI to print.
    public struct Outcome: Sendable, Equatable {
        /// `HALTED` or `ACTIVE` (manual state after the command).
        public var state: String
        /// The record written, nil when the state was already the one asked for.
        public var written: RiskEventRecord?
        public var lines: [String]
        /// Set when the stored manual state is not a known value (it counts as HALTED); the CLI
        /// reports it as an error.
        public var problem: String?
    }

    /// `qt risk halt`: records a manual halt (no new entries in the next runs using this store).
    /// Already halted: nothing is written.
    public static func halt(reason: String, who: String, time: Timestamp, store: any TradeStore) throws -> Outcome {
        let reason = try require(reason)
        if let current = try ManualRiskState.latest(in: store), current.knownState == .halted {
            return Outcome(state: "HALTED", written: nil, lines: ["already HALTED since \(current.time) (\(current.detail)); nothing written"])
        }
        let record = try ManualRiskState.record(halt: true, reason: reason, who: who, time: time, store: store)
        return Outcome(state: "HALTED", written: record,
                       lines: ["HALTED at \(time) \(record.detail)", "new entries are refused until `qt risk resume`; open positions keep their exits"])
    }

    /// `qt risk resume`: records a manual resume. Not halted: nothing is written.
    public static func resume(reason: String, who: String, time: Timestamp, store: any TradeStore) throws -> Outcome {
        let reason = try require(reason)
        guard let current = try ManualRiskState.latest(in: store), current.knownState == .halted else {
            return Outcome(state: "ACTIVE", written: nil, lines: ["not halted (ACTIVE); nothing written"])
        }
        let record = try ManualRiskState.record(halt: false, reason: reason, who: who, time: time, store: store)
        return Outcome(state: "ACTIVE", written: record,
                       lines: ["ACTIVE at \(time) \(record.detail) (halted since \(current.time): \(current.detail))"])
    }

    /// `qt risk status`: the manual state and the latest risk events of every run (`limit`).
    public static func status(store: any TradeStore, limit: Int = 10) throws -> Outcome {
        let events = try store.riskEvents(runID: nil)
        let reading = try ManualRiskState.read(in: store)
        let manual = reading.latest
        let halted = reading.isHalted
        var lines = [halted ? "risk state: HALTED (manual, since \(manual!.time), \(manual!.detail))"
                            : "risk state: ACTIVE" + (manual.map { " (resumed \($0.time), \($0.detail))" } ?? " (no manual halt in this store)")]
        let recent = events.suffix(limit)
        lines.append(recent.isEmpty ? "risk events: none" : "risk events (latest \(recent.count)):")
        for event in recent { lines.append("  " + describe(event)) }
        return Outcome(state: halted ? "HALTED" : "ACTIVE", written: nil, lines: lines, problem: reading.problem)
    }

    /// One risk event as a line: `2026-03-02T00:02:00.000Z run 3 halted daily_loss_limit: …`.
    static func describe(_ event: RiskEventRecord) -> String {
        "\(event.time) \(event.runID.map { "run \($0)" } ?? "account") \(DisplayText.escaped(event.state, limit: 40)) "
            + "\(DisplayText.escaped(event.cause, limit: 40)): \(DisplayText.escaped(event.detail, limit: 200))"
    }

    private static func require(_ reason: String) throws(Refusal) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Refusal(message: "--reason is required: say why (it is stored with the event)") }
        return trimmed
    }
}
