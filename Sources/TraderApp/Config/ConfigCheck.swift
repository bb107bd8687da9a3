import TradingConfig

/// `qt config check FILE`: parse and map a file exactly as start-up would, without starting.
public enum ConfigCheck {
    /// The outcome: `ok: FILE (N keys)`, or one line per problem.
    public struct Report: Sendable, Hashable {
        public var isValid: Bool
        /// Lines for the user: the `ok:` line, or `file:line: message` per error.
        public var lines: [String]
    }

    /// Loads `path`, maps every section and rejects unknown keys.
    public static func run(path: String) -> Report {
        do {
            let document = try ConfigDocument.load(path: path)
            _ = try AppConfig(from: document)
            return Report(isValid: true, lines: ["ok: \(path) (\(document.keyCount) keys)"])
        } catch let error as ConfigError {
            return Report(isValid: false, lines: [error.description])
        } catch let list as ConfigErrorList {
            return Report(isValid: false, lines: list.errors.map(\.description))
        } catch {
            return Report(isValid: false, lines: ["\(path): \(error)"])
        }
    }
}
