/// Maps the sections of a document into settings values, collecting every section's error
/// instead of stopping at the first, then rejects keys nobody read.
///
/// ```swift
/// var mapper = ConfigMapper(document)
/// let exit = mapper.map("exit") { try ExitSettings(from: $0) }
/// let risk = mapper.map("risk") { try RiskSettings(from: $0) }
/// try mapper.finish()                      // throws every collected error, or unknown keys
/// return AppConfig(exit: exit!, risk: risk!)  // non-nil once finish() returned
/// ```
public struct ConfigMapper {
    public let document: ConfigDocument
    /// Errors collected so far.
    public private(set) var errors: [ConfigError] = []

    public init(_ document: ConfigDocument) { self.document = document }

    /// Runs `body` on `[name]`; on error records it and returns nil. Errors that are not a
    /// `ConfigError` are recorded as an invalid value of the section.
    public mutating func map<T>(_ name: String, _ body: (ConfigSection) throws -> T) -> T? {
        map(document.section(name), body)
    }

    /// Runs `body` on any section (the root, or a nested table).
    public mutating func map<T>(_ section: ConfigSection, _ body: (ConfigSection) throws -> T) -> T? {
        do {
            return try body(section)
        } catch let error as ConfigError {
            errors.append(error)
        } catch let list as ConfigErrorList {
            errors.append(contentsOf: list.errors)
        } catch {
            errors.append(ConfigError(kind: .invalidValue, file: document.file, line: nil, key: section.name,
                                      message: "[\(section.name)]: \(error)"))
        }
        return nil
    }

    /// Throws the collected errors; when there are none, throws unknown keys (if any).
    /// Unknown keys are only checked after a clean mapping: a section that failed half-way has
    /// not read its remaining keys, which would otherwise be reported as unknown.
    public func finish() throws(ConfigErrorList) {
        if !errors.isEmpty { throw ConfigErrorList(errors) }
        try document.rejectUnusedKeys()
    }
}
