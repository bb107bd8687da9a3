import TradingModel

/// The account: wallet balance and one isolated position per symbol (one-way mode), booked from
/// fills, funding and liquidations. Used by the kernel (our ledger) and by the simulated
/// exchange (the venue's ledger); both book the same events, so they agree.
///
/// Wallet balance includes isolated margins. `equity = wallet + Σ unrealized PnL`.
/// Stored properties are public for cross-module specialisation (`@inlinable`); change them
/// only through the methods. Symbols are addressed by index into `instruments` (no hashing on the hot path).
public struct Portfolio: Sendable {
    public let instruments: [Instrument]
    public var walletBalance: Money
    public var slots: [PositionLedger?]
    /// Unrealized PnL per slot at its last mark, and their sum.
    public var unrealized: [Money]
    public var totalUnrealized: Money = .zero
    public var totalFees: Money = .zero
    public var totalFunding: Money = .zero
    /// Number of open positions.
    public var openCount = 0
    /// Hot copies of each slot's side sign (+1/−1, 0 = flat), entry price, quantity and
    /// liquidation price (raw), so per-bar code never copies a whole `PositionLedger`.
    public var sideSign: [Int64]
    public var entryPriceRaw: [Int64]
    public var quantityRaw: [Int64]
    public var liquidationPriceRaw: [Int64]
    /// Hot copy of each slot's isolated margin (raw; 0 when flat), so `usedMargin` never copies a ledger.
    public var isolatedMarginRaw: [Int64]

    public init(initialBalance: Money, instruments: [Instrument]) {
        precondition(initialBalance.isPositive, "initial balance must be positive")
        self.instruments = instruments
        self.walletBalance = initialBalance
        self.slots = Array(repeating: nil, count: instruments.count)
        self.unrealized = Array(repeating: .zero, count: instruments.count)
        self.sideSign = Array(repeating: 0, count: instruments.count)
        self.entryPriceRaw = Array(repeating: 0, count: instruments.count)
        self.quantityRaw = Array(repeating: 0, count: instruments.count)
        self.liquidationPriceRaw = Array(repeating: 0, count: instruments.count)
        self.isolatedMarginRaw = Array(repeating: 0, count: instruments.count)
    }

    /// The side of slot `index`'s position (nil when flat). O(1), no copy.
    @inlinable
    public func side(_ index: Int) -> Side? {
        let sign = sideSign[index]
        return sign == 0 ? nil : (sign > 0 ? .long : .short)
    }

    /// The open position of slot `index` (nil when flat), read without copying the whole ledger.
    @inlinable
    public func position(_ index: Int) -> Position? {
        guard sideSign[index] != 0 else { return nil }
        return slots.withUnsafeBufferPointer { $0[index]!.position }
    }

    /// True when `price` reaches slot `index`'s liquidation price. O(1), no copy.
    @inlinable
    public func isLiquidated(_ index: Int, at price: Price) -> Bool {
        let level = liquidationPriceRaw[index]
        let sign = sideSign[index]
        guard level > 0 && sign != 0 else { return false }
        return sign > 0 ? price.raw <= level : price.raw >= level
    }

    /// Wallet balance plus unrealized PnL at the last marks.
    @inlinable public var equity: Money { walletBalance + totalUnrealized }

    /// Isolated margin tied up in positions.
    public var usedMargin: Money { isolatedMarginRaw.reduce(Money.zero) { $0 + Money(raw: $1) } }

    /// Wallet balance not tied up as isolated margin.
    public var availableMargin: Money { walletBalance - usedMargin }

    /// Every open position.
    public var openPositions: [Position] {
        guard openCount > 0 else { return [] }
        return slots.withUnsafeBufferPointer { buffer in buffer.compactMap { $0?.position } }
    }

    /// Marks slot `index` at `price` (updates unrealized PnL and equity). O(1), no allocation.
    @inlinable
    public mutating func mark(_ index: Int, at price: Price) {
        let sign = sideSign[index]
        guard sign != 0 else { return }
        let move = sign * (price.raw - entryPriceRaw[index])
        let quantity = quantityRaw[index]
        let value: Money
        let (product, overflow) = move.multipliedReportingOverflow(by: quantity)
        if !overflow {
            let scale = FixedPoint.scale
            var quotient = product / scale
            let remainder = product % scale
            if remainder * 2 >= scale { quotient += 1 } else if remainder * 2 <= -scale { quotient -= 1 }
            value = Money(raw: quotient)
        } else {
            value = Money(raw: FastFixedPoint.multiplyDivide(move, quantity, FixedPoint.scale, rounding: .nearest))
        }
        totalUnrealized += value - unrealized[index]
        unrealized[index] = value
    }

    /// Books a fill at `leverage` (used when it opens or adds). Fee comes from `fill.fee`.
    public mutating func apply(_ fill: Fill, symbolIndex index: Int, leverage: Int) -> FillOutcome {
        precondition(fill.quantity.isPositive && fill.price.isPositive, "fill must have positive price and quantity")
        walletBalance -= fill.fee
        totalFees += fill.fee
        let fillSide = fill.side.positionSide
        // The ledger is changed in place (`slots[index]!`): no copy of the whole position per fill.
        guard sideSign[index] != 0 else {
            open(index, side: fillSide, quantity: fill.quantity, price: fill.price, fee: fill.fee, leverage: leverage, time: fill.time)
            return .opened
        }
        if sideSign[index] == fillSide.sign {
            Self.increase(&slots[index]!, by: fill, instrument: instruments[index])
            refreshHotCopies(index)
            return .increased
        }
        let closing = min(fill.quantity, Quantity(raw: quantityRaw[index]))
        let remainder = fill.quantity - closing
        let closingFee = remainder.isPositive
            ? Money(raw: FastFixedPoint.multiplyDivide(fill.fee.raw, closing.raw, fill.quantity.raw, rounding: .nearest)) : fill.fee
        let realized = Self.reduce(&slots[index]!, quantity: closing, price: fill.price, fee: closingFee)
        walletBalance += realized
        if slots.withUnsafeBufferPointer({ $0[index]!.quantity.isPositive }) {
            slots[index]!.refreshLiquidationPrice(instrument: instruments[index])
            refreshHotCopies(index)
            return .reduced
        }
        let trade = slots.withUnsafeBufferPointer { Self.closedTrade($0[index]!, exitTime: fill.time, reason: .external) }
        clear(index)
        guard remainder.isPositive else { return .closed(trade) }
        open(index, side: fillSide, quantity: remainder, price: fill.price, fee: fill.fee - closingFee, leverage: leverage, time: fill.time)
        return .flipped(trade)
    }

    /// Books a funding settlement at `rate` and `markPrice`; returns the payment (nil when flat).
    public mutating func applyFunding(symbolIndex index: Int, rate: Rate, markPrice: Price) -> Money? {
        guard let payment = fundingPayment(symbolIndex: index, rate: rate, markPrice: markPrice) else { return nil }
        bookFunding(symbolIndex: index, payment: payment)
        return payment
    }

    /// Books a funding payment the venue reported (positive = paid by us).
    public mutating func bookFunding(symbolIndex index: Int, payment: Money) {
        guard sideSign[index] != 0 else { return }
        walletBalance -= payment
        totalFunding += payment
        slots[index]!.isolatedMargin -= payment
        slots[index]!.funding += payment
        slots[index]!.refreshLiquidationPrice(instrument: instruments[index])
        refreshHotCopies(index)
    }

    /// The funding payment of the position at a settlement: `side × mark × size × rate`
    /// (positive = we pay); nil when flat.
    public func fundingPayment(symbolIndex index: Int, rate: Rate, markPrice: Price) -> Money? {
        guard let ledger = slots[index] else { return nil }
        return FastFixedPoint.times(FastFixedPoint.notional(markPrice, ledger.quantity, .nearest), rate, .nearest) * ledger.side.sign
    }

    /// Liquidates the position at `price`: the whole isolated margin is lost (booked as price
    /// PnL; Binance keeps what the move did not take as the clearance fee). Returns the trade.
    public mutating func liquidate(symbolIndex index: Int, price: Price, time: Timestamp) -> ClosedTrade? {
        guard var ledger = slots[index] else { return nil }
        let lost = ledger.isolatedMargin
        walletBalance -= lost
        ledger.grossPnL -= lost
        ledger.exitValue += Int128(price.raw) * Int128(ledger.quantity.raw)
        ledger.exitQuantity += ledger.quantity
        ledger.quantity = .zero
        let trade = Self.closedTrade(ledger, exitTime: time, reason: .liquidation)
        clear(index)
        return trade
    }

    /// Takes the venue's wallet balance (re-read after a reconciliation): funding, fees or fills
    /// the ledger never saw are absorbed; positions and their margins are unchanged.
    public mutating func setWalletBalance(_ balance: Money) {
        walletBalance = balance
    }

    /// Replaces slot `index`'s open position with the venue's (side, size, entry price,
    /// leverage): a position the ledger booked from fills nobody asked for, taken over by an
    /// exit owner. Fees already paid stay paid; the round trip restarts from the venue's view.
    public mutating func rebook(symbolIndex index: Int, side: Side, quantity: Quantity, entryPrice: Price, leverage: Int, time: Timestamp) {
        guard quantity.isPositive, entryPrice.isPositive else { return }
        if sideSign[index] != 0 { clear(index) }
        open(index, side: side, quantity: quantity, price: entryPrice, fee: .zero, leverage: max(leverage, 1), time: time)
    }

    private mutating func open(_ index: Int, side: Side, quantity: Quantity, price: Price, fee: Money, leverage: Int, time: Timestamp) {
        precondition(leverage >= 1, "leverage must be at least 1")
        let margin = FastFixedPoint.divided(FastFixedPoint.notional(price, quantity, .nearest), by: Int64(leverage), .up)
        let instrument = instruments[index]
        var ledger = PositionLedger(
            symbol: instrument.symbol, side: side, quantity: quantity, entryPrice: price, leverage: leverage,
            isolatedMargin: margin, openedAt: time, bracket: instrument.bracket(forNotional: FastFixedPoint.notional(price, quantity, .nearest)),
            liquidationPrice: .zero, maxQuantity: quantity, fees: fee, funding: .zero, grossPnL: .zero,
            exitValue: 0, exitQuantity: .zero)
        ledger.refreshLiquidationPrice(instrument: instrument)
        openCount += 1
        slots[index] = ledger
        refreshHotCopies(index)
    }

    /// Adds a same-side fill to the position: volume-weighted entry, margin, fee, tier, liquidation price.
    private static func increase(_ ledger: inout PositionLedger, by fill: Fill, instrument: Instrument) {
        let newQuantity = ledger.quantity + fill.quantity
        let value = Int128(ledger.quantity.raw) * Int128(ledger.entryPrice.raw) + Int128(fill.quantity.raw) * Int128(fill.price.raw)
        ledger.entryPrice = Price(raw: FastFixedPoint.divide(value, by: Int128(newQuantity.raw), rounding: .nearest))
        ledger.quantity = newQuantity
        ledger.maxQuantity = max(ledger.maxQuantity, newQuantity)
        ledger.isolatedMargin += FastFixedPoint.divided(FastFixedPoint.notional(fill.price, fill.quantity, .nearest), by: Int64(ledger.leverage), .up)
        ledger.fees += fill.fee
        ledger.refreshLiquidationPrice(instrument: instrument)
    }

    /// Closes `quantity` of the position at `price`; returns realized price PnL minus nothing
    /// (the fee was already taken from the wallet). Releases margin in proportion.
    private static func reduce(_ ledger: inout PositionLedger, quantity: Quantity, price: Price, fee: Money) -> Money {
        let realized = Money(raw: FastFixedPoint.multiplyDivide(ledger.side.sign * (price.raw - ledger.entryPrice.raw), quantity.raw,
                                                            FixedPoint.scale, rounding: .nearest))
        let released = quantity == ledger.quantity ? ledger.isolatedMargin
            : Money(raw: FastFixedPoint.multiplyDivide(ledger.isolatedMargin.raw, quantity.raw, ledger.quantity.raw, rounding: .down))
        ledger.isolatedMargin -= released
        ledger.quantity -= quantity
        ledger.grossPnL += realized
        ledger.fees += fee
        ledger.exitValue += Int128(price.raw) * Int128(quantity.raw)
        ledger.exitQuantity += quantity
        return realized
    }

    private static func closedTrade(_ ledger: PositionLedger, exitTime: Timestamp, reason: ExitReason) -> ClosedTrade {
        ClosedTrade(symbol: ledger.symbol, side: ledger.side, quantity: ledger.maxQuantity, entryTime: ledger.openedAt,
                    entryPrice: ledger.entryPrice, exitTime: exitTime, exitPrice: ledger.exitPrice, exitReason: reason,
                    grossPnL: ledger.grossPnL, fees: ledger.fees, funding: ledger.funding, leverage: ledger.leverage)
    }

    /// Re-reads the hot per-slot copies from the (open) ledger of slot `index`. Reads through
    /// the buffer: `slots[index]!.field` would copy the whole ledger (a large value).
    private mutating func refreshHotCopies(_ index: Int) {
        let (sign, entry, quantity, liquidation, margin) = slots.withUnsafeBufferPointer { buffer in
            (buffer[index]!.side.sign, buffer[index]!.entryPrice.raw, buffer[index]!.quantity.raw,
             buffer[index]!.liquidationPrice.raw, buffer[index]!.isolatedMargin.raw)
        }
        sideSign[index] = sign
        entryPriceRaw[index] = entry
        quantityRaw[index] = quantity
        liquidationPriceRaw[index] = liquidation
        isolatedMarginRaw[index] = margin
    }

    private mutating func clear(_ index: Int) {
        slots[index] = nil
        sideSign[index] = 0
        entryPriceRaw[index] = 0
        quantityRaw[index] = 0
        liquidationPriceRaw[index] = 0
        isolatedMarginRaw[index] = 0
        totalUnrealized -= unrealized[index]
        unrealized[index] = .zero
        openCount -= 1
    }
}

/// What a fill did to the position.
public enum FillOutcome: Sendable, Hashable {
    case opened
    case increased
    case reduced
    /// The position is flat; the round trip (reason `.external` until the caller names it).
    case closed(ClosedTrade)
    /// The fill closed the position and opened the opposite side with the rest.
    case flipped(ClosedTrade)
}
