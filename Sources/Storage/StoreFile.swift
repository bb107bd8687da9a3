import Foundation
import GRDB
import TradingEngine
import TradingModel

/// What is at a store path, found without changing it: the check every open makes first, so a
/// command never turns another program's file (or an empty file, or a directory) into a store.
///
/// A qt store is an SQLite database whose `grdb_migrations` table lists a prefix of
/// `StorageSchema.versions` (an older store, migrated on a read-write open) — or all of them and
/// more (a newer build's store, refused). The probe opens the file read-only (`SQLITE_OPEN_READONLY`:
/// SQLite writes nothing, not even a journal).
enum StoreFile {
    enum Kind: Equatable {
        /// Nothing at the path.
        case missing
        /// An SQLite database without any table (a store whose creation never committed).
        case emptyDatabase
        /// A qt store with these migrations applied (a prefix of `StorageSchema.versions`).
        case store(applied: [String])
    }

    /// The SQLite file header (first 16 bytes of every database file).
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    /// Classifies `path`; throws (one line naming the file) for anything that is not a qt store
    /// or its absence: a directory or device, an empty or non-SQLite file, another program's
    /// database, a damaged migration record, a newer schema.
    static func inspect(_ path: String) throws -> Kind {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { return .missing }
            throw refusal(path, "cannot read: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw refusal(path, "is \(status.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"), not a qt store")
        }
        guard status.st_size > 0 else { throw refusal(path, "is an empty file, not a qt store") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw refusal(path, "cannot be opened for reading") }
        let head = (try? handle.read(upToCount: sqliteHeader.count)) ?? nil
        try? handle.close()
        guard let head, Array(head) == sqliteHeader else { throw refusal(path, "is not an SQLite database, so not a qt store") }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "qt.trade-store.probe"
        let tables: [String]
        let identifiers: [String]?
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            (tables, identifiers) = try queue.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                guard tables.contains("grdb_migrations") else { return (tables, nil) }
                return (tables, try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw refusal(path, SQLiteTradeStore.oneLine(error))
        } catch {
            throw refusal(path, "\(error)")
        }
        if tables.isEmpty { return .emptyDatabase }
        guard let identifiers else {
            let shown = tables.sorted().prefix(5).map { DisplayText.escaped($0, limit: 40) }.joined(separator: ", ")
            throw refusal(path, "is not a qt store (an SQLite database with tables \(shown)\(tables.count > 5 ? ", …" : "") and no qt schema); "
                              + "nothing was changed")
        }
        let known = StorageSchema.versions
        let applied = known.filter(identifiers.contains)
        let unknown = identifiers.filter { !known.contains($0) }
        if !unknown.isEmpty && applied == known {
            throw refusal(path, "has a newer schema than this build (knows \(known.joined(separator: ", ")); "
                              + "found \(unknown.prefix(3).map { DisplayText.escaped($0, limit: 20) }.joined(separator: ", ")))")
        }
        guard unknown.isEmpty, applied == Array(known.prefix(applied.count)), !applied.isEmpty, tables.contains("runs") else {
            throw refusal(path, "has a damaged or foreign migration record (grdb_migrations lists "
                              + "\(identifiers.prefix(5).map { DisplayText.escaped($0, limit: 20) }.joined(separator: ", ")); this build knows "
                              + "\(known.joined(separator: ", "))); not opened as a qt store")
        }
        return .store(applied: applied)
    }

    static func refusal(_ path: String, _ message: String) -> TradeStoreError {
        .database("\(DisplayText.escaped(path)): \(message)")
    }
}
