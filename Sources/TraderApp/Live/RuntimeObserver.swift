/// Sees the live runtime after every input it handled completely: a paper session paces its
/// venue replay and logs entries and exits with it. Called inside the runtime's loop, so the
/// next input waits for it; keep it short.
public protocol RuntimeObserver: Sendable {
    /// `input` was handled; `state` is the runtime afterwards. Return false to stop the loop
    /// (nothing is closed or cancelled: positions keep their exit owners' orders).
    func handled(_ input: RuntimeInput, state: RuntimeState) async -> Bool
}
