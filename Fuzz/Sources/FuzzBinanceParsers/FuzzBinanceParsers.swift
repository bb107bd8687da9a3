import BinanceFutures
import Foundation
import TradingEngine
import TradingModel

/// libFuzzer entry: the first byte picks a parser of venue data (REST answers, user-data and
/// market stream messages, error bodies and rate-limit headers), the rest is its input. Every
/// parser must either throw its typed error or return values inside `VenueValueLimits`, and the
/// engine arithmetic those values feed (notional, PnL, rounding) must not trap. A violated
/// invariant stops the process: libFuzzer reports it as a crash with the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBinanceParsers(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let selector = data[0]
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    BinanceParserFuzzing.run(selector: selector, body: body)
    return 0
}

/// libFuzzer's driver (in the runtime `-sanitize=fuzzer` links).
@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The program's entry. SwiftPM links an executable target's `main` to `<Target>_main`, so the
/// target names its entry that way and hands control to libFuzzer's driver.
@_cdecl("FuzzBinanceParsers_main")
public func fuzzBinanceParsersMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzBinanceParsers)
}

enum BinanceParserFuzzing {
    static let received = Timestamp(milliseconds: 1_770_000_000_000)
    static let tiers = [MarginBracket(notionalFloor: .zero, notionalCap: Money(units: 50_000), maintenanceMarginRate: Rate("0.004")!,
                                      maintenanceAmount: .zero, maxLeverage: 125)]

    /// Number of parsers the selector byte chooses from (`selector % parsers`).
    static let parsers: UInt8 = 18

    static func run(selector: UInt8, body: [UInt8]) {
        switch selector % parsers {
        case 0: userData(body)
        case 1: market(body)
        case 2:
            guard let info = try? BinanceExchangeInfo.parse(body) else { return }
            var limits = RateLimitState()
            limits.adopt(weightPerMinute: info.weightLimitPerMinute, ordersPerTenSeconds: info.orderLimit(interval: "SECOND", count: 10),
                         ordersPerMinute: info.orderLimit(interval: "MINUTE", count: 1))
            for symbol in info.symbols {
                _ = symbol.isTradingPerpetual
                _ = symbol.maxOpenOrders
                if let bounds = symbol.percentPriceBounds { check(bounds.up <= Rate(units: 10) && !bounds.down.isNegative) }
                guard let instrument = try? symbol.instrument(brackets: tiers) else { continue }
                check(instrument.tickSize.isPositive && instrument.stepSize.isPositive)
                _ = instrument.roundPrice(instrument.maxPrice, .nearest)
                _ = instrument.minNotional.isPositive
            }
        case 3:
            if let order = try? BinanceOrder.parse(body), let snapshot = try? order.snapshot() { snapshotInvariants(snapshot) }
        case 4:
            if let order = try? BinanceAlgoOrder.parse(body), let snapshot = try? order.snapshot() { snapshotInvariants(snapshot) }
        case 5:
            for row in (try? BinancePositionRisk.parse(body)) ?? [] {
                guard let snapshot = try? row.snapshot() else { continue }
                check(snapshot.entryPrice.isPositive && snapshot.leverage >= 1)
                notional(snapshot.entryPrice, snapshot.signedQuantity.magnitude)
            }
        case 6: _ = try? BinanceAccount.parse(body).totals()
        case 7: for balance in (try? BinanceBalance.parse(body)) ?? [] { _ = try? balance.amounts() }
        case 8:
            for trade in (try? BinanceUserTrade.parse(body)) ?? [] {
                guard let values = try? trade.values() else { continue }
                notional(values.price, values.quantity)
            }
        case 9: for row in (try? BinanceIncome.parse(body)) ?? [] { _ = try? row.amount; _ = row.kind }
        case 10:
            for symbol in (try? BinanceLeverageBrackets.parse(body)) ?? [] {
                guard let brackets = try? symbol.marginBrackets() else { continue }
                check(!brackets.isEmpty && brackets.allSatisfy { $0.maxLeverage >= 1 })
            }
        case 11:
            for candle in (try? BinanceKlines.parse(body)) ?? [] { candleInvariants(candle) }
        case 12:
            guard let depth = try? BinanceDepth.parse(body) else { return }
            for level in depth.bids + depth.asks { notional(level.price, level.quantity) }
        case 13:
            if let book = try? BookTicker.parseREST(body, receivedAt: received) { check(book.bidPrice.isPositive && book.askPrice.isPositive) }
        case 14:
            if let index = try? JSONDecoder().decode(BinancePremiumIndex.self, from: Data(body)), let mark = try? index.markPrice(receivedAt: received) {
                priceInvariants(mark.price)
            }
        case 15:
            for row in (try? JSONDecoder().decode([BinanceFundingRateRow].self, from: Data(body))) ?? [] { _ = try? row.fundingRateValue() }
        case 16: errorAndRateLimit(body)
        default:
            for result in (try? BinanceBatchOrderResult.parse(body)) ?? [] {
                if case .order(let order) = result, let snapshot = try? order.snapshot() { snapshotInvariants(snapshot) }
            }
        }
    }

    static func userData(_ body: [UInt8]) {
        guard let event = try? BinanceUserDataParser.parse(body, receivedAt: received) else { return }
        var translator = UserDataTranslator()
        var (events, _) = translator.translate(event)
        events += translator.releaseUnlinked().events
        for item in events {
            if case .filled(let fill) = item {
                check(fill.quantity.isPositive)
                notional(fill.price, fill.quantity)
            }
        }
        if case .accountUpdate(let update) = event {
            for position in update.positions where !position.signedQuantity.isZero {
                notional(position.entryPrice, position.signedQuantity.magnitude)
            }
        }
    }

    static func market(_ body: [UInt8]) {
        guard let message = try? BinanceMarketStreamParser.parse(body, receivedAt: received) else { return }
        switch message {
        case .markPrice(let mark): priceInvariants(mark.price); _ = received.since(mark.eventTime)
        case .trade(let trade): notional(trade.price, trade.quantity); _ = received.since(trade.tradeTime)
        case .kline(_, let candle, let interval, _): candleInvariants(candle); _ = candle.openTime.advanced(by: interval)
        case .liquidation(_, _, let price, let quantity, _): notional(price, quantity)
        case .bookTicker, .depthUpdate, .ignored: break
        }
        _ = message.marketEvent
    }

    static func errorAndRateLimit(_ body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        let error = BinanceAPIError.parse(body)
        var state = RateLimitState()
        let wait = state.rateLimited(status: error == nil ? 429 : 418, code: error?.code, message: error?.msg, retryAfterHeader: text,
                                     bannedUntil: error?.bannedUntil, at: received)
        check(wait >= .zero && wait <= state.limits.maximumBackOff)
        state.observe(headers: [(name: "X-MBX-USED-WEIGHT-1M", value: text), (name: "X-MBX-ORDER-COUNT-10S", value: text)],
                      sentAt: received, receivedAt: received)
        let admitted = state.wait(for: RequestCost(weight: 5), at: received)
        check(admitted.map { $0 <= state.limits.maximumBackOff } ?? true)
    }

    static func snapshotInvariants(_ snapshot: OrderSnapshot) {
        check(!snapshot.filledQuantity.isNegative)
        if let price = snapshot.averagePrice { notional(price, snapshot.filledQuantity) }
        if let price = snapshot.request.triggerPrice { priceInvariants(price) }
        if let price = snapshot.request.price, let quantity = snapshot.request.quantity { notional(price, quantity) }
    }

    static func candleInvariants(_ candle: Candle) {
        priceInvariants(candle.open)
        check(candle.low <= candle.open && candle.open <= candle.high && candle.low <= candle.close && candle.close <= candle.high)
        _ = candle.high - candle.low
        _ = candle.close.relativeChange(from: candle.open, .nearest)
    }

    static func priceInvariants(_ price: Price) {
        check(price.isPositive && price <= VenueValueLimits.maximumPrice)
        _ = price.relativeChange(from: price, .nearest)
    }

    /// The engine's notional and PnL arithmetic on a venue price and quantity.
    static func notional(_ price: Price, _ quantity: Quantity) {
        check(VenueValueLimits.notionalFits(price, quantity))
        let value = price.notional(quantity, .nearest)
        _ = value + value
        _ = (price - price).notional(quantity, .nearest)
    }

    /// Stops the process (a crash for libFuzzer) when a parsed value breaks the limits.
    static func check(_ condition: Bool, _ line: UInt = #line) {
        if !condition { fatalError("venue value invariant violated (FuzzBinanceParsers.swift:\(line))") }
    }
}
