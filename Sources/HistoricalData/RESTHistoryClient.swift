import Foundation
import TradingModel
import CandleData

/// The latest days, which the archive has not published yet, from Binance's public REST API
/// (`/fapi/v1/klines`, `/fapi/v1/markPriceKlines`: 1500 rows per request; `/fapi/v1/fundingRate`:
/// 1000). No key is needed. Klines still open at `now` are dropped: only closed bars are written.
struct RESTHistoryClient: Sendable {
    let http: ArchiveHTTPClient
    /// `https://fapi.binance.com` unless configured otherwise; no trailing slash.
    let baseURL: String

    /// Rows with time in `[fromMilliseconds, toMilliseconds)`.
    func rows(symbol: Symbol, dataset: ArchiveDataset, fromMilliseconds: Int64, toMilliseconds: Int64,
              now: Int64) async throws(HistoricalDataError) -> [ArchiveRowConverter.Row] {
        var rows: [ArchiveRowConverter.Row] = []
        var start = fromMilliseconds
        let limit = dataset == .fundingRate ? 1000 : 1500
        while start < toMilliseconds {
            var url = "\(baseURL)\(dataset.restPath)?symbol=\(symbol.name)&startTime=\(start)&endTime=\(toMilliseconds - 1)&limit=\(limit)"
            if let interval = dataset.interval { url += "&interval=\(interval.label)" }
            let body: [UInt8]
            switch try await http.fetch(url) {
            case .missing: throw HistoricalDataError(.httpStatus, source: url, detail: "HTTP 404 from the REST API")
            case .found(let bytes): body = bytes
            }
            let page = dataset == .fundingRate ? try fundingPage(body, source: url) : try klinePage(body, source: url)
            var advanced = false
            for row in page where row.time >= start && row.time < toMilliseconds {
                if let last = rows.last, row.time <= last.time { continue }
                rows.append(row)
                advanced = true
            }
            guard advanced, page.count >= limit, let last = rows.last else { break }
            start = last.time + 1
        }
        if dataset.interval != nil { rows.removeAll { $0.closeTime >= now } }
        return rows
    }

    private func klinePage(_ body: [UInt8], source: String) throws(HistoricalDataError) -> [ArchiveRowConverter.Row] {
        let decoded: [RESTKline]
        do { decoded = try JSONDecoder().decode([RESTKline].self, from: Data(body)) } catch {
            throw HistoricalDataError(.badResponse, source: source, detail: "not a kline array: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        var rows: [ArchiveRowConverter.Row] = []
        rows.reserveCapacity(decoded.count)
        for (index, kline) in decoded.enumerated() {
            rows.append(try ArchiveRowConverter.kline(kline.fields, source: "\(source) row \(index + 1)"))
        }
        return rows
    }

    private func fundingPage(_ body: [UInt8], source: String) throws(HistoricalDataError) -> [ArchiveRowConverter.Row] {
        let decoded: [RESTFunding]
        do { decoded = try JSONDecoder().decode([RESTFunding].self, from: Data(body)) } catch {
            throw HistoricalDataError(.badResponse, source: source, detail: "not a funding array: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        var rows: [ArchiveRowConverter.Row] = []
        for (index, entry) in decoded.enumerated() {
            rows.append(try ArchiveRowConverter.fundingRow(time: String(entry.fundingTime), rate: entry.fundingRate,
                                                           markPrice: entry.markPrice ?? "", source: "\(source) row \(index + 1)"))
        }
        return rows.sorted { $0.time < $1.time }
    }
}

/// One REST kline: `[openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume",
/// trades, "takerBuyBase", "takerBuyQuote", "ignore"]`.
private struct RESTKline: Decodable {
    var fields: [String]

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var fields: [String] = []
        while !container.isAtEnd {
            if let integer = try? container.decode(Int64.self) {
                fields.append(String(integer))
            } else {
                fields.append(try container.decode(String.self))
            }
        }
        self.fields = fields
    }
}

/// `{"symbol":"BTCUSDT","fundingRate":"0.00010000","fundingTime":1570608000000,"markPrice":"34287.5"}`.
private struct RESTFunding: Decodable {
    var fundingRate: String
    var fundingTime: Int64
    var markPrice: String?
}
