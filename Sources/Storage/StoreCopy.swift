import GRDB
import PostgresNIO
import TradingEngine

/// `qt store copy`: moves everything in a SQLite store into a PostgreSQL store, as the target's
/// bot, in one PostgreSQL transaction (all or nothing).
///
/// Runs get new ids from the server's sequence (other bots may already use the SQLite ids), and
/// every `run_id` / `resolved_by_run_id` is mapped to them; other rows get new ids in the same
/// order. Copying into a bot that already has runs is refused (a second copy would duplicate
/// them). Each table's row count is checked after the copy, before the commit.
public enum StoreCopy {
    /// Rows copied per table, in copy order.
    public struct Report: Sendable, Equatable, CustomStringConvertible {
        public var rows: [(table: String, count: Int)]
        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.rows.map(\.table) == rhs.rows.map(\.table) && lhs.rows.map(\.count) == rhs.rows.map(\.count)
        }
        public var description: String { rows.map { "\($0.table) \($0.count)" }.joined(separator: ", ") }
    }

    /// Tables in dependency order; `true` when the table has its own generated `id`.
    static let tables: [(name: String, hasID: Bool)] = [
        ("runs", true), ("orders", false), ("order_events", true), ("fills", true), ("trades", true), ("exit_states", false),
        ("decisions", true), ("alerts", true), ("equity_snapshots", true), ("risk_events", true), ("close_requests", true),
        ("notifications", true), ("commands", true),
    ]

    /// SQLite `0/1` columns that are `BOOLEAN` in PostgreSQL.
    static let booleanColumns: Set<String> = ["reduce_only", "close_position", "approved", "authorized"]

    public static func copy(from source: SQLiteTradeStore, to target: PostgresTradeStore) throws -> Report {
        guard try source.appliedMigrations() == StorageSchema.versions else {
            throw TradeStoreError.database("\(source.path) is not at schema \(StorageSchema.versions.last ?? "")")
        }
        let bot = target.settings.bot
        return try target.transaction {
            let existing = try target.execute("SELECT count(*)::bigint AS n FROM runs WHERE bot_id = \(bot)")
            let existingRuns = try existing.first.map { try $0.makeRandomAccess()["n"].decode(Int64.self, context: .default) } ?? 0
            guard existingRuns == 0 else {
                throw TradeStoreError.database("bot '\(bot)' already has \(existingRuns) runs in \(target.settings); copy into a new [storage] bot")
            }
            var runIDs: [Int64: Int64] = [:]
            var report = Report(rows: [])
            for table in tables {
                let rows = try source.read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY rowid") }
                if table.name == "runs" {
                    for row in rows {
                        let oldID: Int64 = row["id"]
                        runIDs[oldID] = try insertRun(row, bot: bot, into: target)
                    }
                } else {
                    try insertRows(rows, table: table.name, dropID: table.hasID, bot: bot, runIDs: runIDs, into: target)
                }
                let copied = try target.execute(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint AS n FROM \(table.name) WHERE bot_id = $1",
                                                              binds: binds([.string(bot)])))
                let count = try copied.first.map { try $0.makeRandomAccess()["n"].decode(Int64.self, context: .default) } ?? -1
                guard count == Int64(rows.count) else {
                    throw TradeStoreError.database("copy check failed: \(table.name) has \(count) rows for bot '\(bot)', the source \(rows.count)")
                }
                report.rows.append((table.name, rows.count))
            }
            return report
        }
    }

    private static func insertRun(_ row: Row, bot: String, into target: PostgresTradeStore) throws -> Int64 {
        let columns = row.columnNames.filter { $0 != "id" }
        let values = try columns.map { try value(row, $0, runIDs: [:]) }
        let placeholders = (1...(columns.count + 1)).map { "$\($0)" }.joined(separator: ", ")
        let query = PostgresQuery(unsafeSQL: "INSERT INTO runs (\(columns.joined(separator: ", ")), bot_id) VALUES (\(placeholders)) RETURNING id",
                                  binds: binds(values + [.string(bot)]))
        let result = try target.execute(query)
        guard let id = try result.first.map({ try $0.makeRandomAccess()["id"].decode(Int64.self, context: .default) }) else {
            throw TradeStoreError.database("INSERT INTO runs returned no id")
        }
        return id
    }

    /// Multi-row inserts, as many rows per statement as PostgreSQL's 65535 parameters allow.
    private static func insertRows(_ rows: [Row], table: String, dropID: Bool, bot: String, runIDs: [Int64: Int64],
                                   into target: PostgresTradeStore) throws {
        guard let first = rows.first else { return }
        let columns = first.columnNames.filter { !(dropID && $0 == "id") }
        let width = columns.count + 1
        let perStatement = max(1, 60_000 / width)
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perStatement)]
            var values: [Value] = []
            var tuples: [String] = []
            for (index, row) in batch.enumerated() {
                values += try columns.map { try value(row, $0, runIDs: runIDs) } + [.string(bot)]
                tuples.append("(" + (1...width).map { "$\(index * width + $0)" }.joined(separator: ", ") + ")")
            }
            try target.execute(PostgresQuery(unsafeSQL: "INSERT INTO \(table) (\(columns.joined(separator: ", ")), bot_id) VALUES \(tuples.joined(separator: ", "))",
                                             binds: binds(values)))
            start += perStatement
        }
    }

    enum Value {
        case null, integer(Int64), real(Double), string(String), boolean(Bool)
    }

    private static func value(_ row: Row, _ column: String, runIDs: [Int64: Int64]) throws -> Value {
        switch (row[column] as DatabaseValue).storage {
        case .null: return .null
        case .int64(let number):
            if column == "run_id" || column == "resolved_by_run_id" {
                guard let mapped = runIDs[number] else { throw TradeStoreError.unknownRun(number) }
                return .integer(mapped)
            }
            if booleanColumns.contains(column) { return .boolean(number != 0) }
            return .integer(number)
        case .double(let number): return .real(number)
        case .string(let text): return .string(text)
        case .blob: throw TradeStoreError.corruptRecord(table: "source", column: column, value: "a blob")
        }
    }

    private static func binds(_ values: [Value]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .string(let text): bindings.append(text)
            case .boolean(let flag): bindings.append(flag)
            }
        }
        return bindings
    }
}
