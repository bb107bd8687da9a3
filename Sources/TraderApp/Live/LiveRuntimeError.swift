/// Why the runtime refused to start or stopped trading.
public struct LiveRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
