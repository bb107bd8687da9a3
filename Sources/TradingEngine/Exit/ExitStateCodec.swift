#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON form of `ExitExecutorState` (sorted keys, so equal states give equal text).
enum ExitStateCodec {
    static func encode(_ state: ExitExecutorState) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(state), as: UTF8.self)
        } catch {
            // Every field is a finite fixed-point value, string or integer: encoding cannot fail.
            preconditionFailure("exit state is not encodable: \(error)")
        }
    }

    static func decode(_ text: String, positionKey: String) throws(ExitStateDecodingError) -> ExitExecutorState {
        do {
            return try JSONDecoder().decode(ExitExecutorState.self, from: Data(text.utf8))
        } catch {
            throw ExitStateDecodingError(positionKey: positionKey, message: "\(error)")
        }
    }
}

/// A saved exit state could not be restored: the position must be handled by a person (the app
/// refuses to run it unprotected).
public struct ExitStateDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var positionKey: String
    public var message: String
    public init(positionKey: String, message: String) {
        self.positionKey = positionKey
        self.message = message
    }
    public var description: String { "exit state of position \(positionKey) cannot be restored: \(message)" }
}
