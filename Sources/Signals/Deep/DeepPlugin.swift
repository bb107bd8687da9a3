#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The libtorch plugin `libqtdeep.so` (Plugins/DeepTorch, built by scripts/build-deep-plugin.sh),
/// opened with `dlopen` only when a deep model is trained or loaded: `qt`, its commands and the
/// tests link no libtorch and start without it (~2 s of shared-library loading saved). When the
/// plugin is absent, every deep model operation throws — a model file with a deep member is
/// refused, never run with that member skipped.
///
/// The plugin stays loaded for the life of the process (never `dlclose`d), so the function
/// pointers stay valid.
public struct DeepPlugin: Sendable {
    typealias Version = @convention(c) () -> UnsafePointer<CChar>?
    typealias Create = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<CChar>?, Int32) -> Int32
    typealias Progress = @convention(c) (UnsafeMutableRawPointer?, Int32, Int32, Double, Double) -> Int32
    typealias Train = @convention(c) (OpaquePointer?, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?, Int64,
                                      UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?, Int64, Progress?,
                                      UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?,
                                      UnsafeMutablePointer<CChar>?, Int32) -> Int32
    typealias Predict = @convention(c) (OpaquePointer?, UnsafePointer<Float>?, UnsafePointer<Float>?, Int64, UnsafeMutablePointer<Float>?,
                                        UnsafeMutablePointer<CChar>?, Int32) -> Int32
    typealias FileCall = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<CChar>?, Int32) -> Int32
    typealias Free = @convention(c) (OpaquePointer?) -> Void

    public let path: String
    /// "libtorch 1.13.1": the libtorch the plugin was compiled against.
    public let libraryVersion: String
    let create: Create
    let train: Train
    let predict: Predict
    let save: FileCall
    let load: FileCall
    let free: Free

    /// Environment variable naming the plugin file (overrides the search).
    public static let environmentKey = "QT_DEEP_PLUGIN"
    public static let fileName = "libqtdeep.so"

    /// Opens the plugin at `path`.
    /// - Throws: `SignalsError.library` with the loader's message (file missing, libtorch missing).
    public static func open(path: String) throws(SignalsError) -> DeepPlugin {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw .library(name: "libtorch plugin", call: "dlopen",
                           message: "\(reason). Deep models (nhits, tft) need libtorch and \(fileName): run `make bootstrap` "
                               + "(installs libtorch-dev, builds .build/qtdeep/\(fileName)) or set \(environmentKey)")
        }
        func symbol<T>(_ name: String, as type: T.Type) throws(SignalsError) -> T {
            guard let address = dlsym(handle, name) else {
                throw .library(name: "libtorch plugin", call: "dlsym", message: "\(path) has no \(name): rebuild it (scripts/build-deep-plugin.sh)")
            }
            return unsafeBitCast(address, to: type)
        }
        let version = try symbol("qtd_library_version", as: Version.self)
        return DeepPlugin(path: path, libraryVersion: version().map { String(cString: $0) } ?? "libtorch ?",
                          create: try symbol("qtd_create", as: Create.self), train: try symbol("qtd_train", as: Train.self),
                          predict: try symbol("qtd_predict", as: Predict.self), save: try symbol("qtd_save", as: FileCall.self),
                          load: try symbol("qtd_load", as: FileCall.self), free: try symbol("qtd_free", as: Free.self))
    }

    /// Where the plugin is looked for: `$QT_DEEP_PLUGIN`, else beside the executable, else
    /// `.build/qtdeep/` above it (the executable is in `.build/<config>/` or
    /// `.build/<triple>/<config>/`), else this checkout's `.build/qtdeep/`.
    public static func candidatePaths(environment: [String: String] = ProcessInfo.processInfo.environment,
                                      executable: String = CommandLine.arguments.first ?? "") -> [String] {
        if let explicit = environment[environmentKey], !explicit.isEmpty { return [explicit] }
        let executableURL = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return [
            executableURL.appendingPathComponent(fileName).path,
            executableURL.deletingLastPathComponent().appendingPathComponent("qtdeep/\(fileName)").path,
            executableURL.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("qtdeep/\(fileName)").path,
            packageRoot.appendingPathComponent(".build/qtdeep/\(fileName)").path,
        ]
    }

    /// The process-wide plugin, opened on first use from the first existing candidate path.
    public static let shared: Result<DeepPlugin, SignalsError> = {
        let paths = candidatePaths()
        guard let path = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return .failure(.library(name: "libtorch plugin", call: "dlopen",
                                     message: "\(fileName) not found (looked in \(paths.joined(separator: ", "))). Deep models (nhits, tft) "
                                         + "need it: run `make bootstrap` (installs libtorch-dev and builds it) or set \(environmentKey)"))
        }
        do throws(SignalsError) { return .success(try open(path: path)) } catch { return .failure(error) }
    }()

    /// Runs a plugin call, turning a non-zero status into `SignalsError.library` with its message.
    func check(_ call: String, _ body: (UnsafeMutablePointer<CChar>, Int32) -> Int32) throws(SignalsError) {
        var buffer = [CChar](repeating: 0, count: 1024)
        let status = buffer.withUnsafeMutableBufferPointer { body($0.baseAddress!, Int32($0.count)) }
        guard status == 0 else {
            throw .library(name: libraryVersion, call: call, message: String(cString: buffer))
        }
    }
}
