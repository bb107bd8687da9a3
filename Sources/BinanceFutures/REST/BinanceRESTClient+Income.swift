import TradingEngine
import TradingModel

/// The account's income history from `GET /fapi/v1/income` (USER_DATA, signed, weight 30 a
/// page): realised PnL, commissions, funding and other wallet bookings, one page or a paged range.
///
/// Binance answers at most 1000 rows a page, oldest first, and keeps three months. The range is
/// paged by time: the next page starts at the time of the last row received (inclusive, since
/// several rows share a millisecond), and rows already received (same type and `tranId`) are
/// dropped, so overlapping pages never count a row twice.
extension BinanceRESTClient {
    /// Most rows Binance answers per income request.
    public static let incomePageLimit = 1000

    /// One page: rows booked in `[start, end]`, oldest first, at most `limit` (1...1000).
    public func income(start: Timestamp, end: Timestamp, limit: Int = BinanceRESTClient.incomePageLimit) async throws(ExecutionError) -> [ExchangeIncome] {
        guard (1...Self.incomePageLimit).contains(limit) else {
            throw ExecutionError(.configuration, message: "income limit \(limit) is outside 1...\(Self.incomePageLimit)")
        }
        var query = QueryString()
        query.append("startTime", String(start.milliseconds))
        query.append("endTime", String(end.milliseconds))
        query.append("limit", String(limit))
        let body = try await send(.get, "/fapi/v1/income", query, security: .signed)
        do throws(BinanceDecodingError) {
            return try BinanceIncomeRow.parse(body)
        } catch {
            throw ExecutionError(.configuration, message: error.description)
        }
    }

    /// Every row booked in `[start, end]`, oldest first, each once.
    ///
    /// A transient failure (5xx, no answer) is retried up to `attempts` times in all, after
    /// `pause(1 s, 2 s, …)`; a rate-limit answer (429/418, or the budget refusing the call) waits
    /// its `retryAfter` when that is at most `longestWait`, else the error is thrown. Anything
    /// else (bad keys, a page we cannot read) is thrown at once. Nothing sleeps but `pause`.
    public func incomeHistory(start: Timestamp, end: Timestamp, pageLimit: Int = BinanceRESTClient.incomePageLimit, attempts: Int = 3,
                              longestWait: Duration = .seconds(60),
                              pause: @Sendable (Duration) async -> Void) async throws(ExecutionError) -> IncomeHistory {
        var history = IncomeHistory(rows: [], requests: 0, weight: 0, retries: 0)
        var seen = Set<String>()
        var from = start
        while from <= end {
            var failures = 0
            var page: [ExchangeIncome] = []
            while true {
                do throws(ExecutionError) {
                    history.requests += 1
                    history.weight += BinanceEndpointCost.cost(.get, "/fapi/v1/income", QueryString(), protective: false).weight
                    page = try await income(start: from, end: end, limit: pageLimit)
                    break
                } catch {
                    failures += 1
                    guard failures < attempts else { throw error }
                    switch error.kind {
                    case .transient:
                        await pause(.seconds(failures))
                    case .rateLimited(let wait):
                        let delay = wait ?? .seconds(1)
                        guard delay <= longestWait else { throw error }
                        await pause(delay)
                    default:
                        throw error
                    }
                    history.retries += 1
                }
            }
            var newest: Timestamp?
            var added = 0
            for row in page where row.time >= from && row.time <= end {
                newest = max(newest ?? row.time, row.time)
                guard seen.insert(row.identity).inserted else { continue }
                history.rows.append(row)
                added += 1
            }
            guard page.count >= pageLimit, let newest else { break }
            // A full page of one millisecond that brought nothing new cannot be paged by time:
            // step past it and say so.
            if added == 0 || newest == from {
                if newest == from { history.crowdedMilliseconds.append(from) }
                from = Timestamp(milliseconds: newest.milliseconds + 1)
            } else {
                from = newest
            }
        }
        history.rows.sort { ($0.time, $0.transactionID) < ($1.time, $1.transactionID) }
        return history
    }
}

/// The income rows of one paged range and what fetching them cost.
public struct IncomeHistory: Sendable, Hashable {
    /// Oldest first, each booking once.
    public var rows: [ExchangeIncome]
    /// Requests attempted (retries included; a call the rate-limit budget refused counts too) and
    /// their weight.
    public var requests: Int
    public var weight: Int
    /// Requests repeated after a transient or rate-limit failure.
    public var retries: Int
    /// Milliseconds holding a full page of rows or more: rows beyond the page at that instant may
    /// be missing (the time-paged API cannot reach them).
    public var crowdedMilliseconds: [Timestamp] = []
}

/// One row of `GET /fapi/v1/income`.
struct BinanceIncomeRow: Decodable {
    var symbol: String?
    var incomeType: String
    var income: String
    var asset: String
    var time: Int64
    var tranId: Int64
    var tradeId: TradeID?

    /// `tradeId` is a string (often `""`) in the docs and a number in some answers.
    enum TradeID: Decodable {
        case text(String)
        case number(Int64)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
        var value: String? {
            switch self {
            case .text(let text): text.isEmpty ? nil : text
            case .number(let number): String(number)
            }
        }
    }

    static func parse(_ body: [UInt8]) throws(BinanceDecodingError) -> [ExchangeIncome] {
        let rows: [BinanceIncomeRow] = try BinanceJSON.decode(body, context: "GET /fapi/v1/income")
        var result: [ExchangeIncome] = []
        result.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let context = "GET /fapi/v1/income[\(index)]"
            let amount: Money = try Field.decimal(row.income, "income", context)
            let time = try Field.time(row.time, "time", context)
            var symbol: Symbol?
            if let name = row.symbol, !name.isEmpty {
                guard let parsed = Symbol(name) else { throw BinanceDecodingError(context: context, field: "symbol", reason: "not a symbol: \"\(name)\"") }
                symbol = parsed
            }
            result.append(ExchangeIncome(symbol: symbol, kind: ExchangeIncome.Kind(venueName: row.incomeType), amount: amount, asset: row.asset,
                                         time: time, transactionID: row.tranId, tradeID: row.tradeId?.value))
        }
        return result
    }
}
