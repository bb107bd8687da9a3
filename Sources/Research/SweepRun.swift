import Foundation
import Synchronization

/// One execution of a sweep: writes `<output>/<name>/units.json`, runs the units on an engine,
/// appends each result line to `results.jsonl` as it arrives and hands it to `onResult`
/// (the terminal, the store), then writes `report.txt`, `report.html` and `results.csv`.
/// When the engine stops early, the report of what arrived is still written, then the error
/// is thrown.
public struct SweepRun: Sendable {
    public let manifest: SweepManifest
    public let units: [SweepUnit]
    /// `<output>/<name>`.
    public let directory: String

    public init(manifest: SweepManifest, outputRoot: String? = nil) {
        self.manifest = manifest
        units = SweepPlan.units(of: manifest)
        directory = (outputRoot ?? manifest.output) + "/" + manifest.name
    }

    /// Folder for the units' run folders (local engine).
    public var unitsDirectory: String { directory + "/units" }

    public func execute(on engine: any SweepEngine,
                        onResult: @escaping @Sendable (SweepUnitResult) async -> Void) async throws(SweepError) -> SweepReport {
        try checkInputs()
        do {
            try FileManager.default.createDirectory(atPath: unitsDirectory, withIntermediateDirectories: true)
            let plan = units.map { unit in
                ["id": unit.id, "dataset": unit.dataset, "args": unit.arguments(outputDirectory: unitsDirectory + "/" + unit.id)] as [String: Any]
            }
            try JSONSerialization.data(withJSONObject: plan, options: [.prettyPrinted, .sortedKeys])
                .write(to: URL(fileURLWithPath: directory + "/units.json"))
            _ = FileManager.default.createFile(atPath: directory + "/results.jsonl", contents: nil)
        } catch {
            throw SweepError(.io, "\(directory): \(error.localizedDescription)")
        }
        let collected = Mutex<[SweepUnitResult]>([])
        let resultsPath = directory + "/results.jsonl"
        var failure: SweepError?
        do {
            try await engine.run(units) { result in
                collected.withLock { $0.append(result) }
                if let handle = FileHandle(forWritingAtPath: resultsPath) {
                    handle.seekToEndOfFile()
                    handle.write(Data((result.line + "\n").utf8))
                    try? handle.close()
                }
                await onResult(result)
            }
        } catch {
            failure = error
        }
        let report = SweepReport(manifest: manifest, results: collected.withLock { $0 })
        do {
            try (report.lines.joined(separator: "\n") + "\n").write(toFile: directory + "/report.txt", atomically: true, encoding: .utf8)
            try report.html.write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
            try report.csv.write(toFile: directory + "/results.csv", atomically: true, encoding: .utf8)
        } catch {
            throw SweepError(.io, "\(directory): cannot write the report: \(error.localizedDescription)")
        }
        if let failure { throw failure }
        return report
    }

    /// Every configuration and data file exists before anything starts.
    private func checkInputs() throws(SweepError) {
        var paths = [manifest.configPath]
        for dataset in manifest.datasets { paths += dataset.files }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw SweepError(.manifest, "\(path): no such file (paths are relative to the current folder)")
        }
    }
}
