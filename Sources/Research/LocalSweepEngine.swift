import Foundation
import Subprocess
import SystemPackage

/// Runs sweep units on this machine: a task group keeps `jobs` `qt backtest … --no-store --json`
/// processes running (swift-subprocess), each unit's last stdout line is its result, handed over
/// as soon as the process ends.
///
/// A unit that exits non-zero or prints no JSON object is a failed result (its last stderr
/// line is the reason); the other units go on. Cancelling the task (Ctrl-C) ends the running
/// processes.
public struct LocalSweepEngine: SweepEngine {
    /// The `qt` executable the units run.
    public var executable: String
    /// Processes at a time (default: the machine's cores).
    public var jobs: Int
    /// Folder receiving one run folder per unit (`<unitOutput>/<unit id>`).
    public var unitOutput: String
    /// Working directory of the units (relative paths in the manifest are relative to it).
    public var workingDirectory: String?

    public init(executable: String, jobs: Int = ProcessInfo.processInfo.activeProcessorCount, unitOutput: String, workingDirectory: String? = nil) {
        self.executable = executable
        self.jobs = max(1, jobs)
        self.unitOutput = unitOutput
        self.workingDirectory = workingDirectory
    }

    public func run(_ units: [SweepUnit], onResult: @escaping @Sendable (SweepUnitResult) async -> Void) async throws(SweepError) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SweepError(.launch, "\(executable) is not an executable file")
        }
        do {
            try await withThrowingTaskGroup(of: SweepUnitResult.self) { group in
                var next = 0
                func startOne() {
                    guard next < units.count else { return }
                    let unit = units[next]
                    next += 1
                    group.addTask { try await runUnit(unit) }
                }
                for _ in 0..<min(jobs, units.count) { startOne() }
                while let result = try await group.next() {
                    await onResult(result)
                    startOne()
                }
            }
        } catch let error as SweepError {
            throw error
        } catch is CancellationError {
            throw SweepError(.interrupted, "stopped; units still running were ended")
        } catch {
            throw SweepError(.launch, "\(error)")
        }
    }

    private func runUnit(_ unit: SweepUnit) async throws -> SweepUnitResult {
        let arguments = unit.arguments(outputDirectory: unitOutput + "/" + unit.id)
        let status: TerminationStatus
        let standardOutput: String
        let standardError: String
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments),
                workingDirectory: workingDirectory.map { FilePath($0) },
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
            status = result.terminationStatus
            standardOutput = result.standardOutput
            standardError = result.standardError
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw SweepError(.launch, "unit \(unit.id): cannot run \(executable): \(error)")
        }
        let lastLine = standardOutput.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        guard status.isSuccess else {
            let reason = standardError.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no message"
            return SweepUnitResult(unit: unit, outcome: .failed(reason: "\(status): \(reason)"))
        }
        guard SweepUnitResult.validJSONObject(lastLine) else {
            return SweepUnitResult(unit: unit, outcome: .failed(reason: "the unit printed no JSON result line"))
        }
        return SweepUnitResult(unit: unit, outcome: .succeeded(json: lastLine))
    }
}
