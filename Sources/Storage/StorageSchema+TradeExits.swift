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

    /// v6: the price each approved signal was judged at (`reference_price_raw`), so a trade's
    /// entry slippage can be measured against it. NULL for rejections and older decisions.
    static func createVersion6(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE decisions ADD COLUMN reference_price_raw INTEGER;")
    }
}
