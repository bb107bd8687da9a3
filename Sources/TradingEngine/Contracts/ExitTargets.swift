import TradingModel

/// The take-profit slices of an exit plan, in the order they are reached.
///
/// A random-access collection of `ExitTarget`s that holds the first target inline and the others
/// in an array, so a plan with one target (a fixed bracket) allocates nothing and a plan with n
/// targets one array of n − 1. Equality, `Codable` (a JSON array) and the text
/// (`[TradingEngine.ExitTarget(…), …]`) are those of the array of its elements.
public struct ExitTargets: RandomAccessCollection, Sendable, Hashable, Codable, ExpressibleByArrayLiteral,
                           CustomStringConvertible, CustomDebugStringConvertible {
    /// The first target; nil only when there is none (then `rest` is empty too).
    @usableFromInline var head: ExitTarget?
    /// The targets after the first.
    @usableFromInline var rest: [ExitTarget]

    /// No targets.
    @inlinable
    public init() {
        head = nil
        rest = []
    }

    /// One target, without allocating.
    @inlinable
    public init(_ target: ExitTarget) {
        head = target
        rest = []
    }

    /// The targets of `targets`, in order.
    public init<Targets: Sequence<ExitTarget>>(_ targets: Targets) {
        var iterator = targets.makeIterator()
        head = iterator.next()
        rest = []
        while let target = iterator.next() { rest.append(target) }
    }

    public init(arrayLiteral targets: ExitTarget...) {
        self.init(targets)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { head == nil ? 0 : 1 + rest.count }
    @inlinable public var isEmpty: Bool { head == nil }
    @inlinable public var first: ExitTarget? { head }

    @inlinable
    public subscript(position: Int) -> ExitTarget {
        if position == 0, let head { return head }
        return rest[position - 1]
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([ExitTarget].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Array(self))
    }

    public var description: String { Array(self).description }
    public var debugDescription: String { Array(self).debugDescription }
}
