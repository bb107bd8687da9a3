/// Strings, integers, booleans, floating-point thresholds, choices and string arrays.
extension ConfigSection {
    // MARK: Strings

    public func string(_ key: String, default defaultValue: String) throws(ConfigError) -> String {
        try read(key, default: defaultValue) { value throws(ConfigError) in try stringValue(key, value) }
    }

    public func requiredString(_ key: String) throws(ConfigError) -> String {
        try readRequired(key) { value throws(ConfigError) in try stringValue(key, value) }
    }

    public func optionalString(_ key: String) throws(ConfigError) -> String? {
        try read(key) { value throws(ConfigError) in try stringValue(key, value) }
    }

    // MARK: Integers

    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        try read(key, default: defaultValue) { value throws(ConfigError) in try intValue(key, value, range) }
    }

    public func requiredInt(_ key: String, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        try readRequired(key) { value throws(ConfigError) in try intValue(key, value, range) }
    }

    public func optionalInt(_ key: String, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        try read(key) { value throws(ConfigError) in try intValue(key, value, range) }
    }

    // MARK: Booleans

    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigError) -> Bool {
        try read(key, default: defaultValue) { value throws(ConfigError) in try boolValue(key, value) }
    }

    public func requiredBool(_ key: String) throws(ConfigError) -> Bool {
        try readRequired(key) { value throws(ConfigError) in try boolValue(key, value) }
    }

    // MARK: Doubles (model thresholds, statistics; never money)

    /// A finite floating-point number; integers are accepted (`1` reads as `1.0`).
    public func double(_ key: String, default defaultValue: Double, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        try read(key, default: defaultValue) { value throws(ConfigError) in try doubleValue(key, value, range) }
    }

    public func requiredDouble(_ key: String, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        try readRequired(key) { value throws(ConfigError) in try doubleValue(key, value, range) }
    }

    public func optionalDouble(_ key: String, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double? {
        try read(key) { value throws(ConfigError) in try doubleValue(key, value, range) }
    }

    // MARK: Choices (enums)

    /// A string that must be one of `allowed`; the error lists the allowed values.
    public func choice(_ key: String, allowed: [String], default defaultValue: String) throws(ConfigError) -> String {
        precondition(allowed.contains(defaultValue), "default '\(defaultValue)' is not among the allowed values")
        return try read(key, default: defaultValue) { value throws(ConfigError) in try choiceValue(key, value, allowed) }
    }

    /// A string that must be present and one of `allowed`.
    public func requiredChoice(_ key: String, allowed: [String]) throws(ConfigError) -> String {
        try readRequired(key) { value throws(ConfigError) in try choiceValue(key, value, allowed) }
    }

    /// An enum case by raw value (`TriggerSource(rawValue: "mark")`).
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: T) throws(ConfigError) -> T
    where T.RawValue == String {
        let raw = try choice(key, allowed: T.allCases.map(\.rawValue), default: defaultValue.rawValue)
        return T(rawValue: raw)!
    }

    /// A required enum case by raw value; absent or unknown values are errors listing the cases.
    public func requiredChoice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) throws(ConfigError) -> T
    where T.RawValue == String {
        T(rawValue: try requiredChoice(key, allowed: T.allCases.map(\.rawValue)))!
    }

    // MARK: Arrays

    /// An array whose every element is a string.
    public func stringArray(_ key: String, default defaultValue: [String]) throws(ConfigError) -> [String] {
        try read(key, default: defaultValue) { value throws(ConfigError) in try stringArrayValue(key, value) }
    }

    public func requiredStringArray(_ key: String) throws(ConfigError) -> [String] {
        try readRequired(key) { value throws(ConfigError) in try stringArrayValue(key, value) }
    }

    // MARK: Conversions

    private func stringValue(_ key: String, _ value: ConfigValue) throws(ConfigError) -> String {
        guard case .string(let text) = value.kind else { throw wrongType(key, expected: "a string", found: value) }
        return text
    }

    private func intValue(_ key: String, _ value: ConfigValue, _ range: ClosedRange<Int>?) throws(ConfigError) -> Int {
        guard case .integer = value.kind, let literal = value.numberLiteral else {
            throw wrongType(key, expected: "an integer", found: value)
        }
        guard let number = Int(literal.hasPrefix("+") ? String(literal.dropFirst()) : literal) else {
            throw ConfigError(kind: .outOfRange, file: document.file, line: value.line, key: fullKey(key),
                              message: "'\(fullKey(key))' = \(value.displayText) is out of range (does not fit a 64-bit integer)")
        }
        if let range, !range.contains(number) {
            throw outOfRange(key, value, "\(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    private func boolValue(_ key: String, _ value: ConfigValue) throws(ConfigError) -> Bool {
        guard case .boolean(let flag) = value.kind else { throw wrongType(key, expected: "a boolean (true or false)", found: value) }
        return flag
    }

    private func doubleValue(_ key: String, _ value: ConfigValue, _ range: ClosedRange<Double>?) throws(ConfigError) -> Double {
        guard let literal = value.numberLiteral else { throw wrongType(key, expected: "a number", found: value) }
        guard let number = Double(literal), number.isFinite else {
            throw ConfigError(kind: .outOfRange, file: document.file, line: value.line, key: fullKey(key),
                              message: "'\(fullKey(key))' = \(value.displayText) is out of range (not a finite number)")
        }
        if let range, !range.contains(number) {
            throw outOfRange(key, value, "\(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    private func choiceValue(_ key: String, _ value: ConfigValue, _ allowed: [String]) throws(ConfigError) -> String {
        let text = try stringValue(key, value)
        guard allowed.contains(text) else {
            throw invalidValue(key, value, "is not one of: " + allowed.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        return text
    }

    private func stringArrayValue(_ key: String, _ value: ConfigValue) throws(ConfigError) -> [String] {
        guard case .array(let items) = value.kind else { throw wrongType(key, expected: "an array of strings", found: value) }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item.kind else {
                throw wrongType(key, expected: "an array of strings", found: ConfigValue(kind: item.kind, line: item.line))
            }
            strings.append(text)
        }
        return strings
    }
}
