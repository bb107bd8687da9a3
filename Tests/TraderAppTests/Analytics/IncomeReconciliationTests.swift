import BinanceFutures
import Foundation
import Storage
import Testing
@testable import TraderApp
import TradingEngine
import TradingModel
import TradingTestSupport

/// A venue that answers `GET /fapi/v1/time` and then scripted `GET /fapi/v1/income` answers,
/// recording each income request's `startTime`.
final class IncomeVenue: HTTPTransport, @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private var script: [HTTPResponseData]
    private var starts: [String] = []
    let serverTime: Int64

    init(serverTime: Int64, _ script: [HTTPResponseData]) {
        self.serverTime = serverTime
        self.script = script
    }

    var incomeStarts: [String] { lock.withLock { starts } }

    func send(_ request: HTTPRequestData) async throws(HTTPTransportError) -> HTTPResponseData {
        lock.withLock {
            if request.path == "/fapi/v1/time" { return HTTPResponseData(status: 200, json: #"{"serverTime":\#(serverTime)}"#) }
            guard request.path == "/fapi/v1/income" else { return HTTPResponseData(status: 404, json: #"{"code":-5000,"msg":"no such path"}"#) }
            starts.append(request.query.split(separator: "&").first { $0.hasPrefix("startTime=") }.map { String($0.dropFirst(10)) } ?? "")
            guard !script.isEmpty else { return HTTPResponseData(status: 200, json: "[]") }
            return script.removeFirst()
        }
    }

    static func row(_ symbol: String, _ type: String, _ income: String, time: Int64, tranId: Int64) -> String {
        #"{"symbol":"\#(symbol)","incomeType":"\#(type)","income":"\#(income)","asset":"USDT","info":"","time":\#(time),"tranId":\#(tranId),"tradeId":""}"#
    }

    static func page(_ rows: [String]) -> HTTPResponseData { HTTPResponseData(status: 200, json: "[" + rows.joined(separator: ",") + "]") }
}

/// `qt flow --venue`: the store's realised PnL, commissions and funding against Binance's income
/// history, per symbol, with every difference exact.
@Suite struct IncomeReconciliationTests {
    static let atom: Symbol = "ATOMUSDT"
    static let start: Int64 = 1_767_225_600_000   // 2026-01-01T00:00Z
    static let credentials = LiveCredentials(apiKey: "k", apiSecret: "s")

    /// A live run: SHORT 100 ATOM 2.224 → 2.200, fees 0.04% a side, 0.01 funding paid.
    static func liveStore(_ path: String) throws -> Int64 {
        let store = try SQLiteTradeStore(path: path)
        let run = try store.beginRun(RunRecord(kind: .live, startedAt: Timestamp(milliseconds: start), finishedAt: nil, configHash: "c",
                                               detail: "ema-cross live on ATOMUSDT"))
        // entry fee 2.224 × 100 × 0.0004 = 0.08896; exit fee 2.2 × 100 × 0.0004 = 0.088
        try store.recordFill(FillRecord(runID: run, fill: Fill(clientOrderID: ClientOrderID("entry")!, symbol: atom, side: .sell, price: Price("2.224")!,
                                                              quantity: Quantity("100")!, fee: Money("0.08896")!, liquidity: .taker,
                                                              time: Timestamp(milliseconds: start + 1_000))))
        try store.recordFill(FillRecord(runID: run, fill: Fill(clientOrderID: ClientOrderID("exit")!, symbol: atom, side: .buy, price: Price("2.2")!,
                                                              quantity: Quantity("100")!, fee: Money("0.088")!, liquidity: .taker,
                                                              time: Timestamp(milliseconds: start + 7_200_000))))
        // gross 100 × (2.224 − 2.200) = 2.4; net 2.4 − 0.17696 − 0.01 = 2.21304
        try store.recordTrade(TradeRecord(runID: run, symbol: atom, side: .short, quantity: Quantity("100")!, entryTime: Timestamp(milliseconds: start + 1_000),
                                          entryPrice: Price("2.224")!, exitTime: Timestamp(milliseconds: start + 7_200_000), exitPrice: Price("2.2")!,
                                          exitReason: "take_profit", fees: Money("0.17696")!, funding: Money("0.01")!, netPnL: Money("2.21304")!, leverage: 2))
        return run
    }

    @Test func everyDifferenceIsShownExactlyAndAForeignSymbolIsNamed() async throws {
        let directory = Integration.temporaryDirectory("income")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/qt.sqlite"
        _ = try Self.liveStore(path)
        let t = Self.start
        let venue = IncomeVenue(serverTime: t + 86_400_000, [
            IncomeVenue.page([IncomeVenue.row("ATOMUSDT", "COMMISSION", "-0.08896", time: t + 1_000, tranId: 11),
                              IncomeVenue.row("ATOMUSDT", "FUNDING_FEE", "-0.01", time: t + 3_600_000, tranId: 12),
                              IncomeVenue.row("LINKUSDT", "COMMISSION", "-0.05", time: t + 3_700_000, tranId: 13)]),
            HTTPResponseData(status: 503, json: #"{"code":-1001,"msg":"Service Unavailable."}"#),
            // the retried page starts at 3 700 000 again: tranId 13 comes twice
            IncomeVenue.page([IncomeVenue.row("LINKUSDT", "COMMISSION", "-0.05", time: t + 3_700_000, tranId: 13),
                              IncomeVenue.row("LINKUSDT", "REALIZED_PNL", "0.3", time: t + 3_800_000, tranId: 14),
                              IncomeVenue.row("ATOMUSDT", "REALIZED_PNL", "2.4", time: t + 7_200_000, tranId: 15)]),
            // one hundred-millionth more commission than the store booked
            IncomeVenue.page([IncomeVenue.row("ATOMUSDT", "COMMISSION", "-0.08800001", time: t + 7_200_000, tranId: 16),
                              IncomeVenue.row("", "TRANSFER", "100", time: t + 9_000_000, tranId: 17)]),
        ])
        let pauses = PauseLog()
        let clock = ManualClock(Timestamp(milliseconds: t + 86_400_000))
        // pages of 3 rows stand for Binance's 1000 (the adapter's paging is the same)
        let report = try await MoneyFlowReport.open(storePath: path, runID: nil, live: LiveSettings(network: .testnet), credentials: Self.credentials,
                                                    clock: clock, transport: venue, pageLimit: 3, pause: { pauses.add($0) })
        guard case .reconciled(let r, let requests, let retries, _, let beyondRetention) = report.income else {
            Issue.record("not reconciled: \(report.income)")
            return
        }
        #expect(requests == 4 && retries == 1 && !beyondRetention && pauses.values == [.seconds(1)])
        #expect(venue.incomeStarts == ["\(t)", "\(t + 3_700_000)", "\(t + 3_700_000)", "\(t + 7_200_000)"])
        func line(_ symbol: String, _ component: IncomeReconciliation.Component) -> IncomeReconciliation.Line? {
            r.lines.first { $0.symbol.name == symbol && $0.component == component }
        }
        // ATOM: realised 2.4 = 2.4; commission −0.17696 against −0.17696001; funding −0.01 = −0.01
        #expect(line("ATOMUSDT", .realizedPnL)?.difference == .zero)
        #expect(line("ATOMUSDT", .commission).map { ($0.store, $0.exchange, $0.difference, $0.rows) }
                .map { $0 == (Money("-0.17696")!, Money("-0.17696001")!, Money("-0.00000001")!, 2) } == true)
        #expect(line("ATOMUSDT", .funding)?.difference == .zero)
        // LINK was never traded by this run: every row of it is unexplained
        #expect(line("LINKUSDT", .commission).map { $0.foreign && $0.store == .zero && $0.exchange == Money("-0.05")! && $0.rows == 1 } == true)
        #expect(line("LINKUSDT", .realizedPnL)?.difference == Money("0.3")!)
        // −0.00000001 − 0.05 + 0.3 = 0.24999999
        #expect(r.unexplained == Money("0.24999999")!)
        #expect(r.otherIncome["TRANSFER"] == IncomeReconciliation.Tally(rows: 1, amount: Money(units: 100)))
        let text = report.lines
        #expect(text.contains { $0.hasPrefix("  ATOMUSDT commission") && $0.hasSuffix("difference -0.00000001  NOT EXPLAINED") })
        #expect(text.contains { $0.hasPrefix("  LINKUSDT realised PnL") && $0.hasSuffix("NOT EXPLAINED (a symbol this run never traded)") })
        #expect(text.contains("  other: TRANSFER 1 rows, 100 (moves the wallet, not trading income)"))
        #expect(text.last == "unexplained income: 0.24999999 USDT NOT EXPLAINED (exchange − store)")
    }

    @Test func matchingIncomeReconcilesToZero() async throws {
        let directory = Integration.temporaryDirectory("income-zero")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/qt.sqlite"
        _ = try Self.liveStore(path)
        let t = Self.start
        let venue = IncomeVenue(serverTime: t + 86_400_000, [IncomeVenue.page([
            IncomeVenue.row("ATOMUSDT", "COMMISSION", "-0.08896", time: t + 1_000, tranId: 1),
            IncomeVenue.row("ATOMUSDT", "FUNDING_FEE", "-0.01", time: t + 3_600_000, tranId: 2),
            IncomeVenue.row("ATOMUSDT", "REALIZED_PNL", "2.4", time: t + 7_200_000, tranId: 3),
            IncomeVenue.row("ATOMUSDT", "COMMISSION", "-0.088", time: t + 7_200_000, tranId: 3),
        ])])
        let report = try await MoneyFlowReport.open(storePath: path, runID: nil, live: LiveSettings(network: .testnet), credentials: Self.credentials,
                                                    clock: ManualClock(Timestamp(milliseconds: t + 86_400_000)), transport: venue, pause: { _ in })
        guard case .reconciled(let r, _, _, _, _) = report.income else { Issue.record("not reconciled"); return }
        #expect(r.unexplained == .zero && r.lines.count == 3 && r.lines.allSatisfy { $0.difference.isZero && !$0.foreign })
        #expect(report.lines.last == "unexplained income: 0 (the exchange's income matches the store exactly)")
    }

    @Test func aRateLimitOrAnOutageIsReportedNotHiddenAndTheStoreFlowStands() async throws {
        let directory = Integration.temporaryDirectory("income-fail")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/qt.sqlite"
        _ = try Self.liveStore(path)
        let t = Self.start
        let limited = IncomeVenue(serverTime: t + 86_400_000, [HTTPResponseData(status: 429, headers: [("Retry-After", "900")],
                                                                               json: #"{"code":-1003,"msg":"Too many requests"}"#)])
        let report = try await MoneyFlowReport.open(storePath: path, runID: nil, live: LiveSettings(network: .testnet), credentials: Self.credentials,
                                                    clock: ManualClock(Timestamp(milliseconds: t + 86_400_000)), transport: limited, pause: { _ in })
        guard case .failed(let reason) = report.income else { Issue.record("expected a failure"); return }
        #expect(reason.hasPrefix("rate limited"))
        #expect(report.lines.contains("net realised      2.21304"))
        #expect(report.lines.last?.hasPrefix("exchange income:  NOT RECONCILED: the income history could not be read (rate limited") == true)
        let down = IncomeVenue(serverTime: t + 86_400_000, Array(repeating: HTTPResponseData(status: 502, json: "bad gateway"), count: 3))
        let outage = try await MoneyFlowReport.open(storePath: path, runID: nil, live: LiveSettings(network: .testnet), credentials: Self.credentials,
                                                    clock: ManualClock(Timestamp(milliseconds: t + 86_400_000)), transport: down, pause: { _ in })
        guard case .failed(let why) = outage.income else { Issue.record("expected a failure"); return }
        #expect(why.hasPrefix("venue unavailable (retried)") && down.incomeStarts.count == 3)
        // without keys, a live run says how to reconcile
        let plain = try MoneyFlowReport.open(storePath: path, runID: nil)
        #expect(plain.lines.last?.hasPrefix("exchange income:  not reconciled: give the account's API keys") == true)
    }
}

/// Records requested pauses instead of sleeping.
final class PauseLog: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var recorded: [Duration] = []
    func add(_ value: Duration) { lock.withLock { recorded.append(value) } }
    var values: [Duration] { lock.withLock { recorded } }
}
