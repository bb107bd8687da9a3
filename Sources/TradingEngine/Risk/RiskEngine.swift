import TradingModel

/// The ACTIVE / REDUCING / HALTED state machine of the account.
///
/// Daily loss = `(startOfDayEquity − equity) / startOfDayEquity`, where equity already holds
/// realized and unrealized PnL, and the day is the UTC day. Crossing the limit halts within the
/// same event. A person can halt, reduce and resume. Every transition returns a `.record` action
/// (a `RiskEventRecord` with `runID` nil for the runtime to fill in); halts also alert.
/// Invalid equity (zero or negative) halts: fail closed.
public struct RiskEngine: Sendable, Hashable {
    public let settings: RiskSettings
    public private(set) var state: RiskState = .active
    /// Why the engine is in its current state (`daily_loss_limit`, `manual`, …).
    public private(set) var cause: String = "start"
    /// True when the current state was set by a person (blocks the automatic new-day resume).
    public private(set) var isManual = false
    public private(set) var day: Int64?
    public private(set) var startOfDayEquity: Money?
    public private(set) var lastEquity: Money?
    /// Net PnL of positions closed this UTC day.
    public private(set) var realizedToday: Money = .zero

    public init(settings: RiskSettings = RiskSettings()) { self.settings = settings }

    /// Entries are allowed (at full or reduced size).
    public var allowsEntries: Bool { state != .halted }

    /// Today's loss as a share of start-of-day equity (positive = loss); nil before any equity.
    public var dailyLossShare: Rate? {
        guard let start = startOfDayEquity, let equity = lastEquity else { return nil }
        return (start - equity).ratio(to: start, .up)
    }

    public mutating func on(_ event: RiskEvent) -> [RiskAction] {
        switch event {
        case .equity(let equity, let time):
            return onEquity(equity, time: time)
        case .positionClosed(_, _, let pnl, let time):
            let actions = rollDay(time)
            realizedToday = realizedToday.addingSaturated(pnl)
            return actions
        case .halt(let who, let why, let time):
            guard !(state == .halted && isManual) else { return [] }
            return transition(to: .halted, cause: "manual", manual: true, time: time, detail: "by \(who): \(why)")
        case .reduce(let who, let why, let time):
            guard state == .active else { return [] }
            return transition(to: .reducing, cause: "manual", manual: true, time: time, detail: "by \(who): \(why)")
        case .resume(let who, let why, let time):
            guard state != .active else { return [] }
            if let equity = lastEquity { startOfDayEquity = equity }
            return transition(to: .active, cause: "manual", manual: true, time: time,
                              detail: "by \(who): \(why); daily-loss baseline restarts at \(lastEquity.map { "\($0) USDT" } ?? "the next equity update")")
        }
    }

    private mutating func onEquity(_ equity: Money, time: Timestamp) -> [RiskAction] {
        var actions = rollDay(time)
        lastEquity = equity
        if startOfDayEquity == nil { startOfDayEquity = equity }
        guard equity.isPositive, let start = startOfDayEquity, start.isPositive else {
            if state != .halted {
                actions += transition(to: .halted, cause: "invalid_equity", manual: false, time: time, detail: "equity \(equity) USDT is not positive")
            }
            return actions
        }
        guard let loss = dailyLossShare else { return actions }
        let detail = "daily loss \(DecimalText.percent(loss.doubleValue)) of start-of-day equity \(start) USDT (equity \(equity) USDT, realized today \(realizedToday) USDT, unrealized \(equity - start - realizedToday) USDT)"
        if loss >= settings.dailyLossLimit && state != .halted {
            actions += transition(to: .halted, cause: "daily_loss_limit", manual: false, time: time,
                                  detail: detail + ", limit \(DecimalText.percent(settings.dailyLossLimit.doubleValue))")
            if settings.flattenOnHalt { actions.append(.flattenAll(reason: .riskFlatten, time: time)) }
        } else if let soft = settings.reducingThreshold, loss >= soft, state == .active {
            actions += transition(to: .reducing, cause: "daily_loss_reducing", manual: false, time: time,
                                  detail: detail + ", threshold \(DecimalText.percent(soft.doubleValue))")
        }
        return actions
    }

    /// Starts a new UTC day when `time` is in a later day (the next equity update sets the
    /// day's starting equity) and lifts an automatic halt or reduction when configured.
    private mutating func rollDay(_ time: Timestamp) -> [RiskAction] {
        guard day != time.utcDay else { return [] }
        if let current = day, time.utcDay < current { return [] }
        let isFirstDay = day == nil
        day = time.utcDay
        realizedToday = .zero
        startOfDayEquity = nil
        guard !isFirstDay, settings.resumeAtNewDay, state != .active, !isManual else { return [] }
        return transition(to: .active, cause: "new_day", manual: false, time: time, detail: "new UTC day \(time.iso8601.prefix(10))")
    }

    private mutating func transition(to next: RiskState, cause: String, manual: Bool, time: Timestamp, detail: String) -> [RiskAction] {
        state = next
        self.cause = cause
        isManual = manual
        let label: RiskEventState = switch next {
        case .active: .resumed
        case .reducing: .reducing
        case .halted: .halted
        }
        var actions: [RiskAction] = [.record(RiskEventRecord(runID: nil, state: label, cause: cause, detail: detail, time: time))]
        if next != .active {
            actions.append(.alert(Alert(severity: next == .halted ? .critical : .warning, kind: AlertKind(.risk, label.rawValue),
                                        message: "risk engine \(next): \(cause): \(detail)", symbol: nil, time: time)))
        }
        return actions
    }
}
