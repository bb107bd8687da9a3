import TradingModel

/// The features of one symbol at one bar close, in the order of `featureSetName`'s names.
public struct FeatureVector: Sendable, Hashable {
    public var featureSetName: String
    public var featureSetVersion: Int
    /// The bar close the features describe: nothing after this instant was used.
    public var time: Timestamp
    public var values: [Double]

    public init(featureSetName: String, featureSetVersion: Int, time: Timestamp, values: [Double]) {
        self.featureSetName = featureSetName
        self.featureSetVersion = featureSetVersion
        self.time = time
        self.values = values
    }

    /// Identical vectors: same set, time and bit-identical values (NaN equals NaN here, so a
    /// missing optional feature compares equal to itself).
    public static func == (lhs: FeatureVector, rhs: FeatureVector) -> Bool {
        lhs.featureSetName == rhs.featureSetName && lhs.featureSetVersion == rhs.featureSetVersion && lhs.time == rhs.time
            && lhs.values.map(\.bitPattern) == rhs.values.map(\.bitPattern)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(featureSetName)
        hasher.combine(time)
        for value in values { hasher.combine(value.bitPattern) }
    }

    /// SHA-256 (hex, first 16 characters) of the feature set identity, time and the exact bit
    /// patterns of the values. Recorded on every model signal for audit.
    public var hash: String {
        var bytes: [UInt8] = Array("\(featureSetName)@\(featureSetVersion)|\(time.milliseconds)|".utf8)
        bytes.reserveCapacity(bytes.count + values.count * 8)
        for value in values {
            var bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
        return String(ContentDigest.hex(of: bytes).prefix(16))
    }
}
