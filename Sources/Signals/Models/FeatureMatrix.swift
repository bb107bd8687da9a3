import TradingModel
/// Row-major `Float` features for the C APIs, checked against a feature set: the right number of
/// columns, and every required feature finite. NaN is passed only for the set's optional
/// features, which the libraries treat as missing.
public struct FeatureMatrix: Sendable {
    public let featureSet: FeatureSet
    public let rowCount: Int
    public private(set) var values: [Float]
    /// Past windows and known-future inputs of the rows, for the deep models (nil for single
    /// vectors and when only boosted trees are used).
    public var sequences: SequenceWindows?

    public var columnCount: Int { featureSet.count }

    /// - Throws: `SignalsError.featureMismatch` on a wrong column count,
    ///   `SignalsError.missingFeature` on a non-finite required value.
    public init(featureSet: FeatureSet, rows: [[Double]], times: [String]? = nil) throws(SignalsError) {
        self.featureSet = featureSet
        rowCount = rows.count
        values = []
        values.reserveCapacity(rows.count * featureSet.count)
        let optional = Set(featureSet.optionalNames)
        let requiredColumns = featureSet.names.indices.map { !optional.contains(featureSet.names[$0]) }
        for (rowIndex, row) in rows.enumerated() {
            guard row.count == featureSet.count else {
                throw .featureMismatch("row \(rowIndex) has \(row.count) values, feature set \(featureSet) expects \(featureSet.count)")
            }
            for (column, value) in row.enumerated() {
                if requiredColumns[column] && !value.isFinite {
                    throw .missingFeature(name: featureSet.names[column], time: times?[rowIndex] ?? "row \(rowIndex)")
                }
                values.append(Float(value))
            }
        }
    }

    /// A one-row matrix from a live feature vector, refusing one built for another feature set.
    public init(featureSet: FeatureSet, vector: FeatureVector) throws(SignalsError) {
        guard vector.featureSetName == featureSet.name, vector.featureSetVersion == featureSet.version else {
            throw .featureMismatch("vector from \(vector.featureSetName)@v\(vector.featureSetVersion), model expects \(featureSet.name)@v\(featureSet.version)")
        }
        try self.init(featureSet: featureSet, rows: [vector.values], times: [vector.time.iso8601])
    }
}
