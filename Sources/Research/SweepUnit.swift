/// One backtest of a sweep: a grid point on one dataset.
public struct SweepUnit: Sendable, Hashable, Codable {
    /// `u001`, `u002`, … in plan order (stable for the same manifest).
    public var id: String
    /// The grid point: setting and TOML literal, in grid order.
    public var parameters: [Parameter]
    public var dataset: String
    public var configPath: String
    public var dataFiles: [String]

    public struct Parameter: Sendable, Hashable, Codable {
        public var key: String
        public var literal: String
    }

    /// `qt` arguments of the unit with paths as given (`pathMap` rewrites them for a package)
    /// and the run folder `outputDirectory`.
    public func arguments(outputDirectory: String, pathMap: (String) -> String = { $0 }) -> [String] {
        var arguments = ["backtest", "--config", pathMap(configPath), "--data"] + dataFiles.map(pathMap)
        for parameter in parameters { arguments += ["--set", "\(parameter.key)=\(parameter.literal)"] }
        arguments += ["--no-store", "--json", "--out", outputDirectory]
        return arguments
    }
}

/// Expands a manifest into its units: every grid combination (first key varying slowest) on
/// every dataset.
public enum SweepPlan {
    public static func units(of manifest: SweepManifest) -> [SweepUnit] {
        var points: [[SweepUnit.Parameter]] = [[]]
        for (key, values) in manifest.grid {
            points = points.flatMap { point in values.map { point + [SweepUnit.Parameter(key: key, literal: $0)] } }
        }
        var units: [SweepUnit] = []
        let width = max(3, String(points.count * manifest.datasets.count).count)
        for (label, files) in manifest.datasets {
            for point in points {
                let number = String(units.count + 1)
                units.append(SweepUnit(id: "u" + String(repeating: "0", count: width - number.count) + number, parameters: point,
                                       dataset: label, configPath: manifest.configPath, dataFiles: files))
            }
        }
        return units
    }
}
