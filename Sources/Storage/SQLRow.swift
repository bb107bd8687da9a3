import GRDB

/// Receives one statement's parameter values in order (`RecordSQL` writes every record through
/// it). Booleans are stored as the integers 1 and 0 and `Int` as a 64-bit integer, as GRDB stores
/// them, so every conformance writes identical rows.
protocol SQLRow {
    mutating func add(_ value: Int64)
    mutating func add(_ value: Double)
    mutating func add(_ value: String)
    mutating func addNull()
}

extension SQLRow {
    mutating func add(_ value: Int) { add(Int64(value)) }
    mutating func add(_ value: Bool) { add(value ? 1 as Int64 : 0) }
    mutating func add(_ value: Int64?) { if let value { add(value) } else { addNull() } }
    mutating func add(_ value: Int?) { if let value { add(Int64(value)) } else { addNull() } }
    mutating func add(_ value: Double?) { if let value { add(value) } else { addNull() } }
    mutating func add(_ value: String?) { if let value { add(value) } else { addNull() } }
}

/// The values as GRDB statement arguments (the one-record calls).
struct ArgumentsRow: SQLRow {
    private var values: [DatabaseValue] = []

    var arguments: StatementArguments { StatementArguments(values) }

    mutating func add(_ value: Int64) { values.append(value.databaseValue) }
    mutating func add(_ value: Double) { values.append(value.databaseValue) }
    mutating func add(_ value: String) { values.append(value.databaseValue) }
    mutating func addNull() { values.append(.null) }

    static func make(_ fill: (inout ArgumentsRow) -> Void) -> StatementArguments {
        var row = ArgumentsRow()
        fill(&row)
        return row.arguments
    }
}
