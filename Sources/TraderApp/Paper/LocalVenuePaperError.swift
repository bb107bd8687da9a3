/// Why a paper session on the in-process local venue could not start or did not finish.
public struct LocalVenuePaperError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
