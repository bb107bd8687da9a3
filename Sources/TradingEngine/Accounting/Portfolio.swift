import TradingModel

/// The account: wallet balance and one isolated position per symbol (one-way mode), booked from
/// fills, funding and liquidations. Used by the kernel (our ledger) and by the simulated
/// exchange (the venue's ledger); both book the same events, so they agree.
///
/// Wallet balance includes isolated margins. `equity = wallet + Σ unrealized PnL`.
///
/// Values come from data (prices, fills, funding), so every booking is checked: no amount the
/// ledger keeps (wallet, unrealized PnL and their totals, a position's notional, margin, fees,
/// funding, PnL) exceeds ±`maximumMagnitude`, so a sum or difference of two of them always fits
/// `Int64`. A fill, payment or mark that would break that is not booked: `fault` records it
/// (the first one), `apply` returns `.unbooked`, and the ledger is left as it was.
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
    /// The first booking that could not be made (nil while everything fits). See `ArithmeticFault`.
    public var fault: ArithmeticFault? {
        get { faultStorage.first }
        set {
            faultStorage = newValue.map { [$0] } ?? []
            hasFault = newValue != nil
        }
    }
    /// `fault != nil`, as a plain flag for per-bar checks.
    public private(set) var hasFault = false
    /// Out of line (one pointer): the ledger is copied on hot paths, and an inline optional
    /// fault would double the bytes each copy moves.
    @usableFromInline var faultStorage: [ArithmeticFault] = []

    /// Largest magnitude of any amount the ledger keeps, in raw units: a quarter of `Int64`'s
    /// range (about 23 billion USDT), so sums and differences of two amounts never overflow.
    /// (A computed constant, not a stored `static let`: hot code folds it instead of calling a
    /// lazy-global accessor.)
    @inlinable public static var maximumMagnitude: Int64 { Int64.max / 4 }

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

    /// Isolated margin tied up in positions (summed wide and kept within `Int64 / 2`, so
    /// `availableMargin` always fits).
    public var usedMargin: Money {
        let total = isolatedMarginRaw.reduce(Int128(0)) { $0 + Int128($1) }
        return Money(raw: Int64(max(min(total, Int128(Int64.max / 2)), Int128(Int64.min / 2))))
    }

    /// Wallet balance not tied up as isolated margin.
    public var availableMargin: Money { walletBalance - usedMargin }

    /// Every open position.
    public var openPositions: [Position] {
        guard openCount > 0 else { return [] }
        return slots.withUnsafeBufferPointer { buffer in buffer.compactMap { $0?.position } }
    }

    /// Marks slot `index` at `price` (updates unrealized PnL and equity). O(1), no allocation.
    /// A PnL beyond `maximumMagnitude` is not booked: it sets `fault` (the old mark stays).
    @inlinable
    public mutating func mark(_ index: Int, at price: Price) {
        let sign = sideSign[index]
        guard sign != 0 else { return }
        // Both prices are positive, so the difference always fits.
        let move = sign * (price.raw - entryPriceRaw[index])
        let quantity = quantityRaw[index]
        let value: Int64
        let (product, overflow) = move.multipliedReportingOverflow(by: quantity)
        if !overflow {
            let scale = FixedPoint.scale
            var quotient = product / scale
            let remainder = product % scale
            if remainder * 2 >= scale { quotient += 1 } else if remainder * 2 <= -scale { quotient -= 1 }
            value = quotient
        } else if let wide = FastFixedPoint.checkedMultiplyDivide(move, quantity, FixedPoint.scale, rounding: .nearest) {
            value = wide
        } else {
            return markFault(index, price)
        }
        // Every term is within ±maximumMagnitude, so the wrapping arithmetic below is exact.
        let total = totalUnrealized.raw &+ (value &- unrealized[index].raw)
        guard Self.isBounded(value) && Self.isBounded(total) else { return markFault(index, price) }
        totalUnrealized = Money(raw: total)
        unrealized[index] = Money(raw: value)
    }

    /// Records that slot `index` could not be marked at `price` (not on the hot path).
    @usableFromInline
    mutating func markFault(_ index: Int, _ price: Price) {
        guard fault == nil else { return }
        let side = sideSign[index] > 0 ? "LONG" : "SHORT"
        fault = ArithmeticFault(symbol: instruments[index].symbol, time: nil,
                                what: "marking the \(side) of \(Quantity(raw: quantityRaw[index])) from \(Price(raw: entryPriceRaw[index])) at \(price)")
    }

    /// Books a fill at `leverage` (used when it opens or adds). Fee comes from `fill.fee`.
    /// `.unbooked` (and `fault` set) when its amounts do not fit; nothing is changed then.
    public mutating func apply(_ fill: Fill, symbolIndex index: Int, leverage: Int) -> FillOutcome {
        guard fill.quantity.isPositive, fill.price.isPositive, leverage >= 1, Self.isBounded(fill.fee.raw),
              let wallet = Self.bounded(walletBalance.raw - fill.fee.raw), let fees = Self.bounded(totalFees.raw + fill.fee.raw) else {
            return unbooked(fill, index)
        }
        let fillSide = fill.side.positionSide
        // The ledger is changed in place (`slots[index]!`): no copy of the whole position per fill.
        guard sideSign[index] != 0 else {
            guard let notional = Self.bounded(FastFixedPoint.checkedNotional(fill.price, fill.quantity, .nearest)) else {
                return unbooked(fill, index)
            }
            walletBalance = Money(raw: wallet)
            totalFees = Money(raw: fees)
            open(index, side: fillSide, quantity: fill.quantity, price: fill.price, notional: notional, fee: fill.fee, leverage: leverage,
                 time: fill.time)
            return .opened
        }
        if sideSign[index] == fillSide.sign {
            guard let notional = Self.bounded(FastFixedPoint.checkedNotional(fill.price, fill.quantity, .nearest)),
                  let increased = Self.increased(slots.withUnsafeBufferPointer { $0[index]! }, by: fill, notional: notional,
                                                 instrument: instruments[index]) else {
                return unbooked(fill, index)
            }
            walletBalance = Money(raw: wallet)
            totalFees = Money(raw: fees)
            slots[index] = increased
            refreshHotCopies(index)
            return .increased
        }
        let closing = min(fill.quantity, Quantity(raw: quantityRaw[index]))
        let remainder = fill.quantity - closing
        let closingFee = remainder.isPositive
            ? Money(raw: FastFixedPoint.multiplyDivide(fill.fee.raw, closing.raw, fill.quantity.raw, rounding: .nearest)) : fill.fee
        guard let reduction = slots.withUnsafeBufferPointer({ Self.reduction($0[index]!, quantity: closing, price: fill.price, fee: closingFee) }),
              let newWallet = Self.bounded(wallet + reduction.realized.raw) else {
            return unbooked(fill, index)
        }
        walletBalance = Money(raw: newWallet)
        totalFees = Money(raw: fees)
        Self.reduce(&slots[index]!, by: reduction, quantity: closing, price: fill.price, fee: closingFee)
        if slots.withUnsafeBufferPointer({ $0[index]!.quantity.isPositive }) {
            slots[index]!.refreshLiquidationPrice(instrument: instruments[index])
            refreshHotCopies(index)
            return .reduced
        }
        let trade = slots.withUnsafeBufferPointer { Self.closedTrade($0[index]!, exitTime: fill.time, reason: .external) }
        clear(index)
        guard remainder.isPositive else { return .closed(trade) }
        // The rest opens the other side (the closed part is booked; a rest too large to book is
        // the fault, and the position stays flat).
        guard let rest = Self.bounded(FastFixedPoint.checkedNotional(fill.price, remainder, .nearest)) else {
            _ = unbooked(fill, index)
            return .closed(trade)
        }
        open(index, side: fillSide, quantity: remainder, price: fill.price, notional: rest, fee: fill.fee - closingFee, leverage: leverage,
             time: fill.time)
        return .flipped(trade)
    }

    /// Records a fill that cannot be booked; returns `.unbooked`.
    private mutating func unbooked(_ fill: Fill, _ index: Int) -> FillOutcome {
        if fault == nil {
            var what = "\(fill.side.rawValue) \(fill.quantity) at \(fill.price) (fee \(fill.fee))"
            if sideSign[index] != 0 {
                what += " against the \(sideSign[index] > 0 ? "LONG" : "SHORT") of \(Quantity(raw: quantityRaw[index])) from \(Price(raw: entryPriceRaw[index]))"
            }
            fault = ArithmeticFault(symbol: instruments[index].symbol, time: fill.time, what: what)
        }
        return .unbooked
    }

    /// True when `value` is within ±`maximumMagnitude` (one add and one unsigned compare).
    @inlinable @inline(__always)
    static func isBounded(_ value: Int64) -> Bool {
        UInt64(bitPattern: value &+ maximumMagnitude) <= UInt64(bitPattern: maximumMagnitude) &* 2
    }

    /// `value` when it is within ±`maximumMagnitude`, else nil.
    @inlinable
    static func bounded(_ value: Int64) -> Int64? {
        isBounded(value) ? value : nil
    }

    /// `value` when present and within ±`maximumMagnitude`, else nil.
    @inlinable
    static func bounded(_ value: Money?) -> Money? {
        guard let value, isBounded(value.raw) else { return nil }
        return value
    }

    /// Books a funding settlement at `rate` and `markPrice`; returns the payment (nil when flat,
    /// or when it cannot be booked: `fault` is set then).
    public mutating func applyFunding(symbolIndex index: Int, rate: Rate, markPrice: Price) -> Money? {
        guard sideSign[index] != 0 else { return nil }
        guard let payment = fundingPayment(symbolIndex: index, rate: rate, markPrice: markPrice) else {
            setFault(index, nil, "funding at rate \(rate) and mark \(markPrice)")
            return nil
        }
        guard book(fundingPayment: payment, index) else { return nil }
        return payment
    }

    /// Books a funding payment the venue reported (positive = paid by us). A payment that does
    /// not fit sets `fault` and is not booked.
    public mutating func bookFunding(symbolIndex index: Int, payment: Money) {
        guard sideSign[index] != 0 else { return }
        _ = book(fundingPayment: payment, index)
    }

    private mutating func book(fundingPayment payment: Money, _ index: Int) -> Bool {
        let (margin, funding) = slots.withUnsafeBufferPointer { ($0[index]!.isolatedMargin.raw, $0[index]!.funding.raw) }
        guard Self.isBounded(payment.raw), let wallet = Self.bounded(walletBalance.raw - payment.raw),
              let total = Self.bounded(totalFunding.raw + payment.raw), let newMargin = Self.bounded(margin - payment.raw),
              let newFunding = Self.bounded(funding + payment.raw) else {
            setFault(index, nil, "a funding payment of \(payment)")
            return false
        }
        walletBalance = Money(raw: wallet)
        totalFunding = Money(raw: total)
        slots[index]!.isolatedMargin = Money(raw: newMargin)
        slots[index]!.funding = Money(raw: newFunding)
        slots[index]!.refreshLiquidationPrice(instrument: instruments[index])
        refreshHotCopies(index)
        return true
    }

    /// The funding payment of the position at a settlement: `side × mark × size × rate`
    /// (positive = we pay); nil when flat or when it does not fit (`maximumMagnitude`).
    public func fundingPayment(symbolIndex index: Int, rate: Rate, markPrice: Price) -> Money? {
        guard sideSign[index] != 0 else { return nil }
        let (quantity, sign) = slots.withUnsafeBufferPointer { ($0[index]!.quantity, $0[index]!.side.sign) }
        guard let notional = Self.bounded(FastFixedPoint.checkedNotional(markPrice, quantity, .nearest)),
              let payment = FastFixedPoint.checkedTimes(notional, rate, .nearest) else { return nil }
        return payment * sign
    }

    private mutating func setFault(_ index: Int, _ time: Timestamp?, _ what: String) {
        guard fault == nil else { return }
        fault = ArithmeticFault(symbol: instruments[index].symbol, time: time, what: what)
    }

    /// Liquidates the position at `price`: the whole isolated margin is lost (booked as price
    /// PnL; Binance keeps what the move did not take as the clearance fee). Returns the trade.
    public mutating func liquidate(symbolIndex index: Int, price: Price, time: Timestamp) -> ClosedTrade? {
        guard var ledger = slots[index] else { return nil }
        let lost = ledger.isolatedMargin
        guard let wallet = Self.bounded(walletBalance.raw - lost.raw), let gross = Self.bounded(ledger.grossPnL.raw - lost.raw) else {
            setFault(index, time, "liquidating at \(price) (margin \(lost))")
            return nil
        }
        walletBalance = Money(raw: wallet)
        ledger.grossPnL = Money(raw: gross)
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
        guard quantity.isPositive, entryPrice.isPositive,
              let notional = Self.bounded(FastFixedPoint.checkedNotional(entryPrice, quantity, .nearest)) else { return }
        if sideSign[index] != 0 { clear(index) }
        open(index, side: side, quantity: quantity, price: entryPrice, notional: notional, fee: .zero, leverage: max(leverage, 1), time: time)
    }

    /// Opens slot `index`; `notional` (`price × quantity`) was checked by the caller.
    private mutating func open(_ index: Int, side: Side, quantity: Quantity, price: Price, notional: Money, fee: Money, leverage: Int,
                               time: Timestamp) {
        let margin = FastFixedPoint.divided(notional, by: Int64(leverage), .up)
        let instrument = instruments[index]
        var ledger = PositionLedger(
            symbol: instrument.symbol, side: side, quantity: quantity, entryPrice: price, leverage: leverage,
            isolatedMargin: margin, openedAt: time, bracket: instrument.bracket(forNotional: notional),
            liquidationPrice: .zero, maxQuantity: quantity, fees: fee, funding: .zero, grossPnL: .zero,
            exitValue: 0, exitQuantity: .zero)
        ledger.refreshLiquidationPrice(instrument: instrument)
        openCount += 1
        slots[index] = ledger
        refreshHotCopies(index)
    }

    /// The position after a same-side fill (volume-weighted entry, margin, fee, tier, liquidation
    /// price), or nil when its amounts do not fit. `notional` is the fill's, already checked.
    private static func increased(_ ledger: PositionLedger, by fill: Fill, notional: Money, instrument: Instrument) -> PositionLedger? {
        var ledger = ledger
        let (total, overflow) = ledger.quantity.raw.addingReportingOverflow(fill.quantity.raw)
        guard !overflow else { return nil }
        let newQuantity = Quantity(raw: total)
        let value = Int128(ledger.quantity.raw) * Int128(ledger.entryPrice.raw) + Int128(fill.quantity.raw) * Int128(fill.price.raw)
        // A volume-weighted price lies between the two prices: it fits.
        let entry = Price(raw: FastFixedPoint.divide(value, by: Int128(newQuantity.raw), rounding: .nearest))
        guard bounded(FastFixedPoint.checkedNotional(entry, newQuantity, .nearest)) != nil,
              let margin = bounded(ledger.isolatedMargin.raw + FastFixedPoint.divided(notional, by: Int64(ledger.leverage), .up).raw),
              let fees = bounded(ledger.fees.raw + fill.fee.raw) else { return nil }
        ledger.entryPrice = entry
        ledger.quantity = newQuantity
        ledger.maxQuantity = max(ledger.maxQuantity, newQuantity)
        ledger.isolatedMargin = Money(raw: margin)
        ledger.fees = Money(raw: fees)
        ledger.refreshLiquidationPrice(instrument: instrument)
        return ledger
    }

    /// What closing `quantity` at `price` books: realized price PnL, released margin and the
    /// round trip's new gross PnL and fees; nil when they do not fit.
    struct Reduction {
        var realized: Money
        var released: Money
        var grossPnL: Money
        var fees: Money
    }

    private static func reduction(_ ledger: PositionLedger, quantity: Quantity, price: Price, fee: Money) -> Reduction? {
        guard let realized = FastFixedPoint.checkedMultiplyDivide(ledger.side.sign * (price.raw - ledger.entryPrice.raw), quantity.raw,
                                                                  FixedPoint.scale, rounding: .nearest),
              bounded(realized) != nil, let gross = bounded(ledger.grossPnL.raw + realized),
              let fees = bounded(ledger.fees.raw + fee.raw) else { return nil }
        let released = quantity == ledger.quantity ? ledger.isolatedMargin
            : Money(raw: FastFixedPoint.multiplyDivide(ledger.isolatedMargin.raw, quantity.raw, ledger.quantity.raw, rounding: .down))
        return Reduction(realized: Money(raw: realized), released: released, grossPnL: Money(raw: gross), fees: Money(raw: fees))
    }

    /// Closes `quantity` of the position at `price` as `reduction` computed; releases margin in
    /// proportion (the fee was already taken from the wallet).
    private static func reduce(_ ledger: inout PositionLedger, by reduction: Reduction, quantity: Quantity, price: Price, fee: Money) {
        ledger.isolatedMargin -= reduction.released
        ledger.quantity -= quantity
        ledger.grossPnL = reduction.grossPnL
        ledger.fees = reduction.fees
        ledger.exitValue += Int128(price.raw) * Int128(quantity.raw)
        ledger.exitQuantity += quantity
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
    /// Nothing was booked: the fill's amounts do not fit (`Portfolio.fault` says what).
    case unbooked
}
