import ArgumentParser
import Foundation
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
        let report = ConfigCheck.run(path: file)
        guard report.isValid else {
            for line in report.lines {
                FileHandle.standardError.write(Data(("error: " + line + "\n").utf8))
            }
            throw ExitCode.failure
        }
        for line in report.lines { print(line) }
    }
}
