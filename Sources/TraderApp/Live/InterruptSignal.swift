import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stop request of a live session in the app: returns on the first SIGINT (Ctrl-C) or
/// SIGTERM, or when the waiting task is cancelled. Pass it as `LiveSession.run(until:)`; the
/// session then stops without sending or closing anything (positions keep their exchange-side
/// backstops). The default handlers are replaced while waiting, so the process is not killed
/// before the session has logged what stays open.
public enum InterruptSignal {
    public static func wait() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self)
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        await withTaskCancellationHandler {
            for await _ in stream { break }
        } onCancel: {
            continuation.finish()
        }
        for source in sources { source.cancel() }
        // A second Ctrl-C during the shutdown that follows stops the process as usual.
        for number in [SIGINT, SIGTERM] { signal(number, SIG_DFL) }
    }
}
