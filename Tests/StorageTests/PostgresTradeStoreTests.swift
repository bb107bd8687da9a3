import Foundation
import PostgresNIO
import Testing
import TradingEngine
import TradingModel
import TradingTestSupport
@testable import Storage

/// What only the PostgreSQL store has: a server that can be lost or stall, bots sharing one
/// database, and versioned migrations. The `TradeStore` contract itself runs in
/// `TradeStoreContractTests` on every store.
@Suite struct PostgresTradeStoreTests {
    /// A store of `bot` whose connections go through a fault-injecting proxy.
    private func withProxiedStore(answerTimeout: Duration = .seconds(10),
                                  _ body: (PostgresTradeStore, FaultyTCPProxy) throws -> Void) throws {
        let proxy = try FaultyTCPProxy(targetPort: try PostgresFixture.server().port)
        defer { proxy.stop() }
        let store = try PostgresFixture.makeStore(bot: "proxied", port: proxy.port, answerTimeout: answerTimeout)
        defer { PostgresFixture.drop(store) }
        try body(store, proxy)
    }

    // MARK: Lost connections

    @Test func aConnectionLostBetweenCallsIsReplacedOnTheNextCall() throws {
        try withProxiedStore { store, proxy in
            let first = try store.beginRun(StoreFixtures.run())
            proxy.cutConnections()
            let second = try store.beginRun(StoreFixtures.run(.paper))
            #expect(try store.runs().map(\.id) == [first, second])
            #expect(store.connectionsOpened == 2)
        }
    }

    /// The cut lands after the order row was written, before its history row: the server rolls
    /// the half back, the store runs the call again on a new connection, and the order is
    /// recorded exactly once.
    @Test func aConnectionLostMidCallIsRetriedOnceAndNothingIsDoubled() throws {
        try withProxiedStore { store, proxy in
            let run = try store.beginRun(StoreFixtures.run())
            proxy.cutWhenClientSends("INSERT INTO order_events")
            try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "NEW", at: 1_000))
            #expect(try store.orderHistory(StoreFixtures.entryID).map(\.status) == ["NEW"])
            #expect(try PostgresFixture.count("orders", in: store) == 1)
            #expect(try PostgresFixture.count("order_events", in: store) == 1)
            #expect(store.connectionsOpened == 2)
        }
    }

    @Test func aConnectionLostTwiceFailsTheCallWritingNothingAndTheStoreRecovers() throws {
        try withProxiedStore { store, proxy in
            let run = try store.beginRun(StoreFixtures.run())
            proxy.cutWhenClientSends("INSERT INTO order_events", times: 2)
            #expect {
                try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "NEW", at: 1_000))
            } throws: { error in
                guard case .database(let detail)? = error as? TradeStoreError else { return false }
                return detail.contains("connection to PostgreSQL lost") && detail.contains("nothing was written")
            }
            #expect(try PostgresFixture.count("orders", in: store) == 0)
            #expect(try PostgresFixture.count("order_events", in: store) == 0)
            try store.recordOrder(StoreFixtures.entryOrder(runID: run, status: "NEW", at: 1_000))
            #expect(try store.orderHistory(StoreFixtures.entryID).count == 1)
        }
    }

    /// Lost while committing, the store cannot know whether the server committed: it says so
    /// (never "nothing was written", never a silent retry that could record twice).
    @Test func aConnectionLostWhileCommittingReportsAnUnknownOutcome() throws {
        try withProxiedStore { store, proxy in
            let run = try store.beginRun(StoreFixtures.run())
            proxy.cutWhenClientSends("COMMIT")
            #expect {
                try store.recordFill(StoreFixtures.fill(runID: run, quantity: "5", at: 1_000))
            } throws: { error in
                guard case .commitOutcomeUnknown? = error as? TradeStoreError else { return false }
                return true
            }
            // Here the commit never reached the server, so reading back shows nothing recorded.
            #expect(try store.fills(runID: run) == [])
            try store.recordFill(StoreFixtures.fill(runID: run, quantity: "5", at: 1_000))
            #expect(try store.fills(runID: run).count == 1)
        }
    }

    // MARK: Slow and stalled answers

    /// A slow server (answers held back, then released within the timeout): the call waits and
    /// completes. The release happens only once the store is known to be waiting.
    @Test func aSlowAnswerWithinTheTimeoutCompletesTheCall() throws {
        let proxy = try FaultyTCPProxy(targetPort: try PostgresFixture.server().port)
        defer { proxy.stop() }
        let store = try PostgresFixture.makeStore(bot: "proxied", port: proxy.port)
        defer { PostgresFixture.drop(store) }
        proxy.holdReplies()
        // The blocked call runs on its own thread (not a task: the test waits without needing
        // a cooperative thread to be free).
        let outcome = BlockingCall { try store.beginRun(StoreFixtures.run()) }
        proxy.waitUntilAReplyIsHeld()
        proxy.releaseReplies()
        let id = try outcome.result()
        #expect(try store.runs().map(\.id) == [id])
        #expect(store.connectionsOpened == 1)
    }

    /// A stalled server: the call fails after the answer timeout instead of hanging the bot,
    /// writes nothing (the abandoned connection is closed, so the server rolls back), and the
    /// next call works on a new connection.
    @Test func aStalledServerFailsTheCallAtTheTimeoutAndTheStoreRecovers() throws {
        // 2 s, not less: the same timeout bounds opening the store (connect, migrate), which a
        // starved machine can take several hundred milliseconds to do.
        try withProxiedStore(answerTimeout: .seconds(2)) { store, proxy in
            let first = try store.beginRun(StoreFixtures.run())
            proxy.holdReplies()
            #expect {
                _ = try store.beginRun(StoreFixtures.run(.paper))
            } throws: { error in
                guard case .database(let detail)? = error as? TradeStoreError else { return false }
                return detail.contains("did not answer within 2000 ms")
            }
            proxy.releaseReplies()
            #expect(try store.runs().map(\.id) == [first])
            #expect(store.connectionsOpened == 2)
        }
    }

    @Test func anUnreachableServerIsADatabaseErrorNamingTheServerWithoutThePassword() throws {
        let proxy = try FaultyTCPProxy(targetPort: try PostgresFixture.server().port)
        let port = proxy.port
        proxy.stop()
        #expect {
            _ = try PostgresFixture.makeStore(bot: "nobody", port: port)
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:\(port)") && !text.contains(PostgresTestServer.password)
        }
    }

    // MARK: Bots sharing one database

    @Test func botsSharingADatabaseSeeAndTouchOnlyTheirOwnRows() throws {
        let schema = PostgresFixture.newSchemaName()
        let alpha = try PostgresFixture.makeStore(bot: "alpha", schema: schema)
        defer { PostgresFixture.drop(alpha) }
        let beta = try PostgresFixture.makeStore(bot: "beta", schema: schema)

        let alphaRun = try alpha.beginRun(StoreFixtures.run(.live))
        try alpha.recordOrder(StoreFixtures.entryOrder(runID: alphaRun, status: "NEW", at: 1_000))
        _ = try alpha.recordCloseRequest(CloseRequestRecord(symbol: "ATOMUSDT", requestedAt: Timestamp(milliseconds: 2_000)))
        let betaRun = try beta.beginRun(StoreFixtures.run(.paper))

        #expect(alphaRun != betaRun)
        #expect(try alpha.runs().map(\.id) == [alphaRun])
        #expect(try beta.runs().map(\.id) == [betaRun])
        #expect(try beta.orderHistory(StoreFixtures.entryID) == [])
        #expect(try beta.pendingCloseRequests() == [])
        #expect(throws: TradeStoreError.unknownRun(alphaRun)) {
            try beta.recordFill(StoreFixtures.fill(runID: alphaRun, quantity: "1", at: 3_000))
        }

        // Row-level security holds queries that forget the bot filter, and writes in another
        // bot's name, to the session's bot.
        #expect(try PostgresFixture.count("runs", in: beta) == 1)
        #expect(try PostgresFixture.count("orders", in: beta) == 0)
        #expect(throws: TradeStoreError.self) {
            try beta.statement("""
                INSERT INTO runs (bot_id, kind, started_at_ms, config_hash, detail) VALUES ('alpha', 'live', 1, 'x', 'forged')
                """)
        }
        #expect(try alpha.runs().count == 1)
    }

    // MARK: Migrations

    @Test func aDatabaseBehindThisBuildIsRefusedUntilMigrated() throws {
        let schema = PostgresFixture.newSchemaName()
        #expect {
            _ = try PostgresFixture.makeStore(bot: "m", schema: schema, migrate: false)
        } throws: { error in
            guard case .migrationNeeded(let applied, let known)? = error as? PostgresStoreError else { return false }
            return applied == [] && known == PostgresSchema.versions && "\(error)".contains("qt store migrate")
        }
        let store = try PostgresFixture.makeStore(bot: "m", schema: schema, migrate: true)
        defer { PostgresFixture.drop(store) }
        #expect(try store.appliedMigrations() == PostgresSchema.versions)
        #expect(try store.applyMigrations() == [])
        _ = try PostgresFixture.makeStore(bot: "m", schema: schema, migrate: false)
    }

    @Test func aDatabaseMigratedByANewerBuildIsRefused() throws {
        let store = try PostgresFixture.makeStore(bot: "m")
        defer { PostgresFixture.drop(store) }
        try store.statement("INSERT INTO qt_migrations (version, applied_at_ms) VALUES ('v99', 0)")
        #expect {
            _ = try PostgresFixture.makeStore(bot: "m", schema: store.settings.schema, migrate: true)
        } throws: { error in
            guard case .newerSchema? = error as? PostgresStoreError else { return false }
            return true
        }
    }

    /// Two bots starting together on a new database: the advisory lock lets one migrate, the
    /// other finds the work done.
    @Test func twoBotsMigratingAtOnceApplyEachVersionOnce() throws {
        let schema = PostgresFixture.newSchemaName()
        let first = BlockingCall { try PostgresFixture.makeStore(bot: "one", schema: schema, migrate: true) }
        let second = BlockingCall { try PostgresFixture.makeStore(bot: "two", schema: schema, migrate: true) }
        let stores = [try first.result(), try second.result()]
        defer { PostgresFixture.drop(stores[0]) }
        #expect(try stores[0].appliedMigrations() == PostgresSchema.versions)
        #expect(try stores[1].appliedMigrations() == PostgresSchema.versions)
    }

    /// Backtests (relaxed) do not wait for the server's WAL flush; trading (full) does.
    @Test(arguments: [(StoreDurability.full, "on"), (.relaxed, "off")])
    func durabilitySetsSynchronousCommit(_ durability: StoreDurability, _ expected: String) throws {
        let settings = try PostgresStoreSettings(url: try PostgresFixture.server().url(schema: PostgresFixture.newSchemaName()), bot: "d")
        let store = try PostgresTradeStore(settings: settings, migrate: true, durability: durability)
        defer { PostgresFixture.drop(store) }
        let rows = try store.statement("SHOW synchronous_commit")
        #expect(try rows.first.map { try $0.makeRandomAccess()[0].decode(String.self, context: .default) } == expected)
    }

    // MARK: Settings

    @Test func settingsParseTheURLAndNeverShowThePassword() throws {
        let settings = try PostgresStoreSettings(url: "postgres://qt:s%40cret@db.internal:6543/trading?sslmode=require&schema=bots",
                                                 bot: "acct-1.ema")
        #expect(settings.host == "db.internal" && settings.port == 6543 && settings.user == "qt")
        #expect(settings.password == "s@cret" && settings.database == "trading")
        #expect(settings.sslMode == "require" && settings.schema == "bots")
        #expect(!settings.description.contains("cret"))
        for bad in ["mysql://qt@h/db", "postgres://h/db", "postgres://qt@h/", "postgres://qt@h/db?sslmode=maybe",
                    "postgres://qt@h/db?schema=a;drop"] {
            #expect(throws: PostgresStoreError.self) { _ = try PostgresStoreSettings(url: bad, bot: "b") }
        }
        #expect(throws: PostgresStoreError.self) { _ = try PostgresStoreSettings(url: "postgres://qt@h/db", bot: "a b") }
    }
}

/// A blocking call on its own thread; `result()` waits for it. `@unchecked Sendable`:
/// `outcome` is guarded by `done`.
final class BlockingCall<Value: Sendable>: @unchecked Sendable {
    private let done = NSCondition()
    private var outcome: Result<Value, any Error>?

    init(_ body: @escaping @Sendable () throws -> Value) {
        Thread { [self] in
            let value = Result { try body() }
            done.withLock {
                outcome = value
                done.broadcast()
            }
        }.start()
    }

    func result() throws -> Value {
        try done.withLock {
            while outcome == nil { done.wait() }
            return try outcome!.get()
        }
    }
}
