/// Expected failures of the signal engine. Each message says what to fix.
public enum SignalsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A setting is out of range; `key` is the configuration key.
    case invalidSetting(key: String, message: String)
    /// A feature vector or matrix does not match the model's feature set.
    case featureMismatch(String)
    /// A required feature is NaN or infinite.
    case missingFeature(name: String, time: String)
    /// A model file or its metadata is missing, unreadable or inconsistent.
    case modelFile(path: String, message: String)
    /// The ML library reported an error.
    case library(name: String, call: String, message: String)
    /// Not enough data for the requested operation.
    case insufficientData(String)

    public var description: String {
        switch self {
        case let .invalidSetting(key, message): "invalid setting \(key): \(message)"
        case let .featureMismatch(message): "feature mismatch: \(message)"
        case let .missingFeature(name, time): "required feature \(name) is missing (NaN) at \(time); prediction refused"
        case let .modelFile(path, message): "model file \(path): \(message)"
        case let .library(name, call, message): "\(name) \(call) failed: \(message)"
        case let .insufficientData(message): "insufficient data: \(message)"
        }
    }
}
