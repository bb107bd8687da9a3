import ArgumentParser
import Foundation
import TraderApp
import TradingConfig

/// `--venue [--venue-config FILE] [--venue-key-file FILE] [--mainnet]`: read the account on the
/// venue of the configuration's `[live]` section with the keys `qt live` uses (environment, or a
/// key file outside the repository, mode 600). Keys are never printed.
struct VenueAccessOptions: ParsableArguments {
    @Flag(name: .long, help: "Read the account on the venue of --venue-config's [live] (keys as for qt live).")
    var venue = false
    @Option(name: .long, help: "With --venue: the configuration whose [live] section names the venue (default: Binance testnet).")
    var venueConfig: String?
    @Option(name: .long, help: "With --venue: file with the API keys (as for qt live), outside the repository, mode 600. Default: the environment.")
    var venueKeyFile: String?
    @Flag(name: .long, help: "The venue is Binance mainnet (the file must say [live] network = \"mainnet\" too).")
    var mainnet = false

    /// The venue's settings and the keys; a configuration or key problem is one line naming it.
    func load() throws -> (live: LiveSettings, credentials: LiveCredentials) {
        var live = LiveSettings.defaults
        if let config = venueConfig {
            do { live = try AppConfig.load(path: config).live } catch {
                throw ValidationError(error.errors.map(\.description).joined(separator: "; "))
            }
        }
        if (live.network == .mainnet) != mainnet {
            throw ValidationError(mainnet ? "--mainnet needs [live] network = \"mainnet\" in the configuration"
                                          : "the configuration names mainnet: add --mainnet to read the mainnet account")
        }
        do {
            let credentials = try LiveCredentials.load(environment: ProcessInfo.processInfo.environment, keyFile: venueKeyFile,
                                                       repositoryRoot: LiveCommand.repositoryRoot(), network: live.network)
            return (live, credentials)
        } catch { throw ValidationError(error.message) }
    }
}
