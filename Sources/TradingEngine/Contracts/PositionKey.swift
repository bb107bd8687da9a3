import TradingModel

/// Identifies one position within a run: its symbol and the client id of the entry order that
/// opened it. Held as those two values (no text is made per position); its text,
/// `<symbol>-<entry client order id>`, is made where it is stored or shown (`text`).
public struct PositionKey: Sendable, Hashable, CustomStringConvertible {
    public var symbol: Symbol
    public var entryOrderID: ClientOrderID

    @inlinable
    public init(symbol: Symbol, entryOrderID: ClientOrderID) {
        self.symbol = symbol
        self.entryOrderID = entryOrderID
    }

    /// `<symbol>-<entry client order id>` (the form the store, the watchdog and `qt status` use),
    /// written byte by byte in one allocation.
    public var text: String {
        symbol.name.withUTF8Bytes { name in
            entryOrderID.value.withUTF8Bytes { id in
                let count = name.count + 1 + id.count
                return String(unsafeUninitializedCapacity: count) { buffer in
                    var position = 0
                    for byte in name {
                        buffer[position] = byte
                        position += 1
                    }
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                    for byte in id {
                        buffer[position] = byte
                        position += 1
                    }
                    return count
                }
            }
        }
    }

    public var description: String { text }
}
