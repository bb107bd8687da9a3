import TradingEngine
import TradingModel
import Logging

/// Instruments and listing status: read at start-up (only `TRADING` perpetuals are accepted)
/// and refreshed during the session (filters picked up, status changes reported).
extension BinanceExecutionClient {
    /// Loads exchangeInfo and leverage brackets and returns instruments for `symbols` (also
    /// installed in this client). Adopts the published rate limits. Refuses (configuration) a
    /// symbol that is not listed, not a perpetual, not `TRADING`, or whose filters are unreadable.
    public func loadInstruments(_ symbols: [Symbol]) async throws(ExecutionError) -> [Instrument] {
        var instruments: [Instrument] = []
        for status in try await symbolStatuses(symbols) {
            if let refusal = status.refusal {
                throw ExecutionError(.configuration, message: "\(refusal); qt trades TRADING perpetuals only: remove it from --symbols")
            }
            if let instrument = status.instrument { instruments.append(instrument) }
        }
        return instruments
    }

    /// Reads exchangeInfo and leverage brackets again: each symbol's current filters (installed
    /// in this client for the orders that follow) and listing status. A symbol whose filters
    /// cannot be read keeps its last instrument here and is reported not tradable.
    public func refreshInstruments(_ symbols: [Symbol]) async throws(ExecutionError) -> [BinanceSymbolStatus] {
        try await symbolStatuses(symbols)
    }

    func symbolStatuses(_ symbols: [Symbol]) async throws(ExecutionError) -> [BinanceSymbolStatus] {
        let infoBody = try await rest.send(.get, "/fapi/v1/exchangeInfo", security: .none)
        let bracketBody = try await rest.send(.get, "/fapi/v1/leverageBracket", security: .signed)
        let info: BinanceExchangeInfo
        let brackets: [BinanceLeverageBrackets]
        do throws(BinanceDecodingError) {
            info = try BinanceExchangeInfo.parse(infoBody)
            brackets = try BinanceLeverageBrackets.parse(bracketBody)
        } catch {
            throw ExecutionError(.configuration, message: error.description)
        }
        rest.setRateLimits(weightPerMinute: info.weightLimitPerMinute, ordersPerTenSeconds: info.orderLimit(interval: "SECOND", count: 10),
                           ordersPerMinute: info.orderLimit(interval: "MINUTE", count: 1))
        var statuses: [BinanceSymbolStatus] = []
        for symbol in symbols {
            guard let listing = info.symbolInfo(symbol) else {
                statuses.append(BinanceSymbolStatus(symbol: symbol, instrument: nil, status: "NOT_LISTED", contractType: nil))
                continue
            }
            let status = listing.status ?? "NOT_PUBLISHED"
            do throws(BinanceDecodingError) {
                guard let tiers = brackets.first(where: { $0.symbol == symbol.name }) else {
                    throw BinanceDecodingError(context: "leverageBracket", field: symbol.name, reason: "no brackets for symbol")
                }
                let instrument = try listing.instrument(brackets: tiers.marginBrackets())
                update(instrument)
                statuses.append(BinanceSymbolStatus(symbol: symbol, instrument: instrument, status: status, contractType: listing.contractType))
            } catch {
                logger.error("binance.instrument_unreadable", metadata: ["binance.symbol": "\(symbol)", "binance.error": "\(error)"])
                statuses.append(BinanceSymbolStatus(symbol: symbol, instrument: nil, status: status, contractType: listing.contractType,
                                                    problem: error.description))
            }
        }
        return statuses
    }
}
