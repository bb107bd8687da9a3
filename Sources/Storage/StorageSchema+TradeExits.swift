import GRDB

extension StorageSchema {
    /// v5: what each closed trade's exit did, for the statistics: the stop planned at entry (R
    /// multiples), the most favourable price while open (harvest effectiveness) and the
    /// take-profit levels that filled (`"1,2"`). NULL for trades recorded before v5 (unknown,
    /// never zero).
    static func createVersion5(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE trades ADD COLUMN planned_stop_raw INTEGER;
        ALTER TABLE trades ADD COLUMN best_price_raw INTEGER;
        ALTER TABLE trades ADD COLUMN targets_hit TEXT;
        """)
    }
}
