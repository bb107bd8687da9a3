import ArgumentParser
import AsyncHTTPClient
import Foundation
import Research
import TraderApp
import TradingEngine
import UnixSignals

/// `qt sweep MANIFEST`: a grid of backtests (settings × datasets) on this machine's cores or on
/// a Ray cluster; results streamed as units finish, recorded in the store and summarised in a
/// report with a heatmap and the multiple-testing caveat.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a research sweep (a grid of backtests) locally or on a Ray cluster.",
        discussion: """
        Each unit is `qt backtest --config C --data F... --set KEY=VALUE... --no-store --json`. Result lines \
        go to stdout as units finish and to <output>/<name>/results.jsonl; report.txt, report.html and \
        results.csv follow. --engine ray submits one job to a Ray cluster's Jobs API (token from \
        QT_RAY_TOKEN or --key-file); Ctrl-C stops the job.
        """
    )

    @Argument(help: "The sweep manifest (TOML: [sweep], [grid], [datasets]).")
    var manifest: String

    @Option(name: .long, help: "local (this machine's cores) or ray.")
    var engine = "local"

    @Option(name: .long, help: "local: processes at a time (default: the number of cores).")
    var jobs: Int?

    @Option(name: .long, help: "ray: the head's dashboard URL (http://HEAD:8265).")
    var address: String?

    @Option(name: .long, help: "ray: a file outside the repository (mode 600) with a line QT_RAY_TOKEN=… (Ray token authentication).")
    var keyFile: String?

    @Option(name: .long, help: "ray: the Python of the cluster's Ray installation, as the job runs it.")
    var python = "python"

    @Flag(name: .long, help: "ray: also ship the shared libraries qt links outside /lib and /usr/lib (Swift runtime, LightGBM) for nodes without them.")
    var shipLibraries = false

    @Option(name: .long, help: "The qt binary the units run (default: this one).")
    var qtBinary: String?

    @Option(name: .long, help: "Output folder (default: the manifest's [sweep] output).")
    var out: String?

    @Flag(name: .long, help: "Do not record the results in the store of the base configuration.")
    var noStore = false

    func validate() throws {
        guard engine == "local" || engine == "ray" else { throw ValidationError("--engine must be local or ray") }
        if engine == "ray" {
            guard let address, address.hasPrefix("http://") || address.hasPrefix("https://") else {
                throw ValidationError("--engine ray needs --address http://HEAD:8265")
            }
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
    }

    func run() async throws {
        let sweep: SweepRun
        do { sweep = SweepRun(manifest: try SweepManifest.load(path: manifest), outputRoot: out) } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let executable = qtBinary ?? Self.ownExecutable()
        let recorder: SweepStoreRecorder?
        do { recorder = noStore ? nil : try SweepStoreRecorder(configPath: sweep.manifest.configPath, sweepName: sweep.manifest.name, engine: engine) } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await run(sweep, executable: executable, recorder: recorder, http: http)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try? await http.shutdown()
    }

    private func run(_ sweep: SweepRun, executable: String, recorder: SweepStoreRecorder?, http: HTTPClient) async throws {
        let sweepEngine: any SweepEngine
        if engine == "ray" {
            var settings = RaySweepEngine.Settings(address: address ?? "", token: try rayToken(), sweepName: sweep.manifest.name, executable: executable)
            settings.python = python
            settings.maxRetries = sweep.manifest.maxRetries
            if shipLibraries { settings.libraries = Self.nonSystemLibraries(of: executable) }
            sweepEngine = RaySweepEngine(settings: settings, http: http, interrupted: {
                for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return }
            }, events: Self.describe)
        } else {
            sweepEngine = LocalSweepEngine(executable: executable, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                                           unitOutput: sweep.unitsDirectory)
        }
        FileHandle.standardError.write(Data("sweep \(sweep.manifest.name): \(sweep.units.count) units on \(engine) -> \(sweep.directory)\n".utf8))
        let report: SweepReport
        do {
            report = try await sweep.execute(on: sweepEngine) { result in
                FileHandle.standardOutput.write(Data((result.line + "\n").utf8))
                recorder?.record(result)
            }
        } catch {
            printError("\(error)")
            printError("partial results: \(sweep.directory)/results.jsonl, report: \(sweep.directory)/report.txt")
            throw ExitCode.failure
        }
        for line in report.lines { print(line) }
        print("report: \(sweep.directory)/report.html")
        if let recorder { print("store:  \(report.results.count) unit results recorded in \(recorder.storePath)") }
        if report.results.contains(where: { !$0.succeeded }) { throw ExitCode.failure }
    }

    private func rayToken() throws -> String? {
        if let keyFile {
            let text: String
            do { text = try String(contentsOfFile: keyFile, encoding: .utf8) } catch {
                throw ValidationError("--key-file \(keyFile): cannot read")
            }
            for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("QT_RAY_TOKEN=") {
                return String(line.dropFirst("QT_RAY_TOKEN=".count)).trimmingCharacters(in: .whitespaces)
            }
        }
        let token = ProcessInfo.processInfo.environment["QT_RAY_TOKEN"]
        return token?.isEmpty == false ? token : nil
    }

    private static func describe(_ event: RaySweepEngine.Event) {
        let line: String
        switch event {
        case .connected(let version): line = "ray: cluster runs Ray \(version.rayVersion) (Jobs API \(version.apiVersion))"
        case .packageUploaded(let name, let bytes): line = "ray: uploaded \(name) (\(bytes >> 20) MiB)"
        case .packageAlreadyOnCluster(let name): line = "ray: \(name) already on the cluster"
        case .submitted(let id): line = "ray: submitted job \(id)"
        case .attached(let id, let status): line = "ray: job \(id) already exists (\(status.rawValue)); following it"
        case .polled(let status, let results, let units): line = "ray: \(status.rawValue) \(results)/\(units) units"
        case .stopRequested(let id): line = "ray: interrupted; stopping job \(id)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// This process's executable (`/proc/self/exe`).
    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Shared libraries `ldd` resolves outside the system folders (Swift runtime, vendor/).
    static func nonSystemLibraries(of executable: String) -> [String] {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [executable]
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return [] }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output.split(separator: "\n").compactMap { line -> String? in
            guard let arrow = line.range(of: "=> ") else { return nil }
            let path = line[arrow.upperBound...].split(separator: " ").first.map(String.init) ?? ""
            guard path.hasPrefix("/"), !path.hasPrefix("/lib"), !path.hasPrefix("/usr/lib") else { return nil }
            return path
        }
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data(("error: " + line + "\n").utf8))
    }
}
