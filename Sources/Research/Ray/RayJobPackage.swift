import Crypto
import Foundation
import ZipArchive

/// The working directory of a sweep's Ray job, as one zip named by a hash of its content
/// (`_ray_pkg_<32 hex>.zip`): the `qt` binary (mode 755, so it stays executable when Ray unpacks
/// it on a worker), the shared libraries it needs in `lib/`, the driver script, `units.json`
/// and every configuration and data file the units name.
///
/// Files inside the current folder keep their relative path; any other file goes to
/// `files/<n>-<name>` and the units' arguments are rewritten to match. The same inputs always
/// give the same bytes, so a package Ray already holds is not uploaded again.
public struct RayJobPackage: Sendable {
    public let bytes: [UInt8]
    /// `_ray_pkg_<32 hex digits>.zip`.
    public let name: String
    /// Hex SHA-256 of `bytes`.
    public let digest: String
    /// Ray's default limit for a working directory package (`RAY_max_package_size` style limit
    /// of the GCS): larger packages are refused before uploading.
    public static let maximumSize = 500 << 20

    /// The `gcs://` URI for `runtime_env.working_dir`.
    public var uri: String { "gcs://" + name }

    /// Builds the package. `executable` is the `qt` to ship, `libraries` extra shared objects.
    public static func build(units: [SweepUnit], executable: String, libraries: [String], maxRetries: Int) throws(SweepError) -> RayJobPackage {
        var writer = ZipArchiveWriter()
        var mapped: [String: String] = [:]
        var external = 0
        func packagePath(_ path: String) -> String {
            if let known = mapped[path] { return known }
            let normalized = (path as NSString).standardizingPath
            let inside = !normalized.hasPrefix("/") && !normalized.hasPrefix("..") && !normalized.isEmpty
            external += inside ? 0 : 1
            let result = inside ? normalized : "files/\(external)-\((path as NSString).lastPathComponent)"
            mapped[path] = result
            return result
        }
        let spec: [String: Any] = [
            "qt": "./qt",
            "max_retries": maxRetries,
            "units": units.map { unit in ["id": unit.id, "args": unit.arguments(outputDirectory: "runs/\(unit.id)", pathMap: packagePath)] as [String: Any] },
        ]
        do {
            try writer.add(name: "qt", bytes: try read(executable), unixMode: 0o755)
            for library in libraries.sorted() {
                try writer.add(name: "lib/" + (library as NSString).lastPathComponent, bytes: try read(library), unixMode: 0o755)
            }
            try writer.add(name: RayDriverScript.fileName, bytes: Array(RayDriverScript.text.utf8))
            try writer.add(name: "units.json", bytes: [UInt8](try JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys, .prettyPrinted])))
            for (original, inside) in mapped.sorted(by: { $0.value < $1.value }) {
                try writer.add(name: inside, bytes: try read(original))
            }
        } catch let error as SweepError {
            throw error
        } catch {
            throw SweepError(.io, "building the Ray job package: \(error)")
        }
        let bytes = writer.finish()
        guard bytes.count <= maximumSize else {
            throw SweepError(.ray, "the job package is \(bytes.count >> 20) MiB, above Ray's \(maximumSize >> 20) MiB limit (ship less data, or a release build of qt)")
        }
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return RayJobPackage(bytes: bytes, name: "_ray_pkg_\(digest.prefix(32)).zip", digest: digest)
    }

    private static func read(_ path: String) throws(SweepError) -> [UInt8] {
        do { return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw SweepError(.io, "\(path): cannot read (\(error.localizedDescription))")
        }
    }
}
