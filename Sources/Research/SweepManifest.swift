import Foundation
import TradingConfig

/// A research sweep: a base configuration, a grid of settings to override and the datasets
/// (symbol/period file sets) to run each grid point on. Read from TOML:
///
/// ```toml
/// [sweep]
/// name = "ema-grid"                       # folder name under `output`, submission id on Ray
/// config = "examples/ema-cross.toml"      # base configuration of every unit
/// metric = "net_pnl"                      # ranks the units and fills the heatmap
/// heatmap = ["strategy.fast_period", "strategy.slow_period"]   # default: the first two grid keys
///
/// [grid]                                   # every combination of these values
/// "strategy.fast_period" = [5, 8, 12, 16, 20]
/// "strategy.slow_period" = [26, 50]
///
/// [datasets]                               # label = the unit's --data files
/// LINKUSDT = ["data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz"]
/// ```
/// Units = grid points × datasets, each one `qt backtest --config C --data F… --set K=V… --no-store --json`.
public struct SweepManifest: Sendable {
    public var name: String
    public var configPath: String
    public var metric: SweepMetric
    /// Output folder; the sweep writes `<output>/<name>/`.
    public var output: String
    /// Grid keys in file order with their values as TOML literals (`8`, `0.012`, `"mark"`).
    public var grid: [(key: String, values: [String])]
    /// Dataset labels in file order with their files.
    public var datasets: [(label: String, files: [String])]
    /// The two grid keys of the heatmap (nil when the grid has fewer than two keys).
    public var heatmapAxes: (x: String, y: String)?
    /// Ray: attempts per unit after a worker failure.
    public var maxRetries: Int

    /// Reads and checks a manifest; every problem names the file and key.
    public static func load(path: String) throws(SweepError) -> SweepManifest {
        let document: ConfigDocument
        do { document = try ConfigDocument.load(path: path) } catch {
            throw SweepError(.manifest, error.description)
        }
        do {
            let manifest = try SweepManifest(document: document)
            try document.rejectUnusedKeys()
            return manifest
        } catch let error as ConfigErrorList {
            throw SweepError(.manifest, error.errors.map(\.description).joined(separator: "; "))
        } catch let error as ConfigError {
            throw SweepError(.manifest, error.description)
        } catch let error as SweepError {
            throw error
        } catch {
            throw SweepError(.manifest, "\(path): \(error)")
        }
    }

    init(document: ConfigDocument) throws {
        let sweep = document.section("sweep")
        name = try sweep.requiredString("name")
        guard !name.isEmpty, name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F }) else {
            throw sweep.invalid("name", "must be letters, digits, '-' or '_' (it names a folder and a Ray submission)")
        }
        configPath = try sweep.requiredString("config")
        let command = try sweep.string("command", default: "backtest")
        guard command == "backtest" else { throw sweep.invalid("command", "must be \"backtest\" (the only unit command so far)") }
        let metricName = try sweep.string("metric", default: SweepMetric.netPnL.rawValue)
        guard let metric = SweepMetric(rawValue: metricName) else {
            throw sweep.invalid("metric", "must be one of \(SweepMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.metric = metric
        output = try sweep.string("output", default: "sweeps")
        maxRetries = try sweep.int("max_retries", default: 3, range: 0...10)

        let gridSection = document.section("grid")
        guard let gridTable = gridSection.rawTable, !gridTable.keys.isEmpty else {
            throw ConfigError(kind: .missingKey, file: document.file, line: nil, key: "grid", message: "[grid] must list at least one setting with its values")
        }
        var grid: [(key: String, values: [String])] = []
        try Self.flatten(gridTable, prefix: [], file: document.file, into: &grid)
        gridSection.markAllUsed()
        self.grid = grid

        let dataSection = document.section("datasets")
        guard let dataTable = dataSection.rawTable, !dataTable.keys.isEmpty else {
            throw ConfigError(kind: .missingKey, file: document.file, line: nil, key: "datasets", message: "[datasets] must name at least one set of --data files")
        }
        var datasets: [(label: String, files: [String])] = []
        for label in dataTable.keys {
            let files = try dataSection.requiredStringArray(label)
            guard !files.isEmpty else { throw dataSection.invalid(label, "must list at least one file") }
            datasets.append((label, files))
        }
        self.datasets = datasets

        if sweep.contains("heatmap") {
            let axes = try sweep.requiredStringArray("heatmap")
            guard axes.count == 2, axes[0] != axes[1], axes.allSatisfy({ axis in grid.contains { $0.key == axis } }) else {
                throw sweep.invalid("heatmap", "must name two different [grid] keys")
            }
            heatmapAxes = (axes[0], axes[1])
        } else {
            heatmapAxes = grid.count >= 2 ? (grid[0].key, grid[1].key) : nil
        }
    }

    /// Leaf arrays of the grid table, nested tables joined with dots (`[grid.strategy] fast_period` = `strategy.fast_period`).
    private static func flatten(_ table: ConfigTable, prefix: [String], file: String, into grid: inout [(key: String, values: [String])]) throws(ConfigError) {
        for key in table.keys {
            guard let value = table[key] else { continue }
            let path = prefix + [key]
            let dotted = path.joined(separator: ".")
            switch value.kind {
            case .table(let child):
                try flatten(child, prefix: path, file: file, into: &grid)
            case .array(let items):
                guard !items.isEmpty else {
                    throw ConfigError(kind: .invalidValue, file: file, line: value.line, key: "grid.\(dotted)", message: "'grid.\(dotted)' has no values")
                }
                var literals: [String] = []
                for item in items {
                    switch item.kind {
                    case .array, .table:
                        throw ConfigError(kind: .wrongType, file: file, line: item.line, key: "grid.\(dotted)", message: "'grid.\(dotted)' values must be numbers, strings or booleans")
                    default:
                        literals.append(item.displayText)
                    }
                }
                guard Set(literals).count == literals.count else {
                    throw ConfigError(kind: .invalidValue, file: file, line: value.line, key: "grid.\(dotted)", message: "'grid.\(dotted)' repeats a value")
                }
                grid.append((dotted, literals))
            default:
                throw ConfigError(kind: .wrongType, file: file, line: value.line, key: "grid.\(dotted)", message: "'grid.\(dotted)' must be an array of values")
            }
        }
    }
}

/// The figure a sweep ranks its units by (a field of `qt backtest --json`).
public enum SweepMetric: String, Sendable, CaseIterable {
    case netPnL = "net_pnl"
    case profitFactor = "profit_factor"
    case winRatePct = "win_rate_pct"
    case maxDrawdownPct = "max_drawdown_pct"
    case finalEquity = "final_equity"
    case trades = "trades"

    /// Larger is better for every metric but drawdown.
    public var higherIsBetter: Bool { self != .maxDrawdownPct }
}
