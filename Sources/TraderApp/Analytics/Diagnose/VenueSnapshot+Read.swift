import BinanceFutures
import TradingEngine
import TradingModel

extension VenueSnapshot {
    /// Reads the account behind `client` section by section: the server time, the positions,
    /// the resting orders (regular and algo), the account's totals and configuration, then the
    /// store's latest live run reconciled with the income history (`MoneyFlowReport`). A section
    /// that cannot be read says why; nothing is thrown for a venue failure.
    public static func read(client: BinanceExecutionClient, rest: BinanceRESTClient, endpoint: String, store: any TradeStore, storeName: String,
                            pageLimit: Int = BinanceRESTClient.incomePageLimit, attempts: Int = 3, longestWait: Duration = .seconds(60),
                            pause: @escaping @Sendable (Duration) async -> Void) async -> VenueSnapshot {
        var reader = VenueReader(attempts: attempts, longestWait: longestWait, pause: pause)
        let synced = await reader.read("GET /fapi/v1/time") { () async throws(ExecutionError) in try await rest.syncServerTime() }
        if case .failed(let failure) = synced { reader.stop(failure) }
        let readAt: Timestamp? = synced.value == nil ? nil : rest.serverNow
        let positions = await reader.read("GET /fapi/v3/positionRisk") { () async throws(ExecutionError) -> [Row] in
            try Self.rows(try await client.positionRisk())
        }
        let orders = await reader.read("GET /fapi/v1/openOrders + /fapi/v1/openAlgoOrders") { () async throws(ExecutionError) in
            try await client.openOrders(symbol: nil)
        }
        let account = await reader.read("GET /fapi/v3/account") { () async throws(ExecutionError) -> BinanceAccountTotals in
            let body = try await client.account()
            do throws(BinanceDecodingError) { return try body.status() } catch { throw ExecutionError(.configuration, message: error.description) }
        }
        let config = await reader.read("GET /fapi/v1/accountConfig") { () async throws(ExecutionError) in try await client.accountConfig() }
        var snapshot = VenueSnapshot(endpoint: endpoint, readAt: readAt, account: account, config: config, positions: positions, orders: orders)
        snapshot.money = await money(store: store, storeName: storeName, rest: rest, reader: reader, pageLimit: pageLimit, pause: pause)
        return snapshot
    }

    /// The open rows of `positionRisk` with their mark prices; a row that cannot be read fails the section.
    static func rows(_ rows: [BinancePositionRisk]) throws(ExecutionError) -> [Row] {
        var result: [Row] = []
        for row in rows {
            do throws(BinanceDecodingError) {
                guard let snapshot = try row.snapshot() else { continue }
                result.append(Row(snapshot: snapshot, markPrice: try row.markPriceValue()))
            } catch {
                throw ExecutionError(.configuration, message: error.description)
            }
        }
        return result
    }

    /// The money section: nil without a live run in the store.
    static func money(store: any TradeStore, storeName: String, rest: BinanceRESTClient, reader: VenueReader, pageLimit: Int,
                      pause: @escaping @Sendable (Duration) async -> Void) async -> VenueRead<MoneyFlowReport>? {
        guard let runs = try? store.runs(), let live = runs.last(where: { $0.kind == .live }) else { return nil }
        var report: MoneyFlowReport
        do throws(AnalyticsError) {
            report = try MoneyFlowReport.make(store: store, storeName: storeName, runID: live.id)
        } catch {
            return .notTried("the store's flow of run #\(live.id ?? 0) cannot be read: \(error)")
        }
        if let skip = reader.skipReason {
            report.income = .failed(skip)
            return .read(report)
        }
        do throws(AnalyticsError) {
            try await report.reconcileIncome(store: store, rest: rest, now: rest.serverNow, pageLimit: pageLimit, pause: pause)
        } catch {
            report.income = .failed("the store's side cannot be read: \(error)")
        }
        return .read(report)
    }
}
