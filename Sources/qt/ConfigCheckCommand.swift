import ArgumentParser
import Foundation
import Configuration
import TraderApp

/// `qt config check FILE`: parses and maps a configuration file the way `qt` would at start-up.
/// Prints `ok: FILE (N keys)` and exits 0, or prints one line per problem and exits 1.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a configuration file (syntax, types, ranges, required and unknown keys)."
    )

    @Argument(help: "The TOML configuration file to check.")
    var file: String

    func run() throws {
        let document: ConfigDocument
        do {
            document = try ConfigDocument.load(path: file)
            _ = try AppConfig(from: document)
        } catch let error as ConfigError {
            printError(error.description)
            throw ExitCode.failure
        } catch let list as ConfigErrorList {
            for error in list.errors { printError(error.description) }
            throw ExitCode.failure
        }
        print("ok: \(file) (\(document.keyCount) keys)")
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data(("error: " + line + "\n").utf8))
    }
}
