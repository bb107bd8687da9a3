import Backtest
import Foundation
import Testing
@testable import TraderApp
import TradingTestSupport

/// `--out` to a path that cannot become a run folder is one line naming it, before the replay.
@Suite(.ownThread) struct RunFolderErrorTests {
    @Test func anImpossibleOutputPathIsOneLineBeforeTheReplay() throws {
        do {
            _ = try BacktestRunner.run(config: try BacktestRunnerTests.config(), dataFiles: [BacktestRunnerTests.link],
                                       outputDirectory: "/dev/null/run")
            Issue.record("expected an error")
        } catch let error as BacktestReportError {
            #expect(error.description == "cannot write /dev/null/run: /dev/null is not a directory")
        }
    }

    @Test func aFileSystemErrorIsTheSystemsReasonNotAFoundationDump() {
        let error = NSError(domain: NSCocoaErrorDomain, code: 512,
                            userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOTDIR))])
        #expect(BacktestReportError.reason(error) == "Not a directory")
    }
}
