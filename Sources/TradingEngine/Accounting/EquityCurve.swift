import TradingModel

/// One point of the equity curve.
public struct EquitySample: Sendable, Hashable {
    public var time: Timestamp
    /// Wallet balance plus unrealized PnL.
    public var equity: Money
    public var walletBalance: Money
    public var unrealizedPnL: Money
    /// Equity minus the running peak (≤ 0).
    public var drawdown: Money

    public init(time: Timestamp, equity: Money, walletBalance: Money, unrealizedPnL: Money, drawdown: Money) {
        self.time = time
        self.equity = equity
        self.walletBalance = walletBalance
        self.unrealizedPnL = unrealizedPnL
        self.drawdown = drawdown
    }
}

/// Stored properties are public so the generic kernel can be specialised across modules
/// (`@inlinable`); change them only through the methods.
///
/// Running peak, maximum drawdown and exposure, updated at every bar close in O(1), plus
/// samples of the curve every `sampleInterval` (and at every trade close), so memory grows with
/// the chosen resolution, not with the number of bars.
public struct EquityCurve: Sendable {
    public let sampleInterval: Duration
    public var samples: [EquitySample] = []
    public var peak: Money
    /// Largest peak-to-trough fall seen, in USDT (≥ 0), and as a share of that peak.
    public var maxDrawdown: Money = .zero
    public var maxDrawdownEquityPct: Double = 0
    /// Bars seen and bars with at least one open position (exposure).
    public var bars: Int64 = 0
    public var barsInPosition: Int64 = 0
    @usableFromInline var nextSampleAt: Int64 = .min
    @usableFromInline let intervalMilliseconds: Int64

    public init(initialEquity: Money, sampleInterval: Duration) {
        let milliseconds = Timestamp(milliseconds: 0).advanced(by: sampleInterval).milliseconds
        precondition(milliseconds > 0, "equity sample interval must be positive")
        self.sampleInterval = sampleInterval
        self.intervalMilliseconds = milliseconds
        self.peak = initialEquity
    }

    /// Share of bars with an open position, in percent.
    public var exposurePct: Double { bars == 0 ? 0 : Double(barsInPosition) / Double(bars) * 100 }

    /// A bar closed. Hot path: compares and adds; appends only when a sample is due.
    @inlinable
    public mutating func barClosed(time: Timestamp, equity: Money, walletBalance: Money, inPosition: Bool) {
        bars += 1
        if inPosition { barsInPosition += 1 }
        observe(time: time, equity: equity)
        if time.milliseconds >= nextSampleAt {
            append(time: time, equity: equity, walletBalance: walletBalance)
        }
    }

    /// Records a point now (trade closes, end of run), regardless of the sampling interval.
    public mutating func record(time: Timestamp, equity: Money, walletBalance: Money) {
        observe(time: time, equity: equity)
        if let last = samples.last, last.time == time {
            samples[samples.count - 1] = EquitySample(time: time, equity: equity, walletBalance: walletBalance,
                                                      unrealizedPnL: equity - walletBalance, drawdown: equity - peak)
            return
        }
        append(time: time, equity: equity, walletBalance: walletBalance)
    }

    @inlinable
    mutating func observe(time: Timestamp, equity: Money) {
        if equity > peak {
            peak = equity
        } else {
            let fall = peak - equity
            if fall > maxDrawdown {
                maxDrawdown = fall
                maxDrawdownEquityPct = fall.doubleValue / peak.doubleValue * 100
            }
        }
    }

    @usableFromInline
    mutating func append(time: Timestamp, equity: Money, walletBalance: Money) {
        samples.append(EquitySample(time: time, equity: equity, walletBalance: walletBalance,
                                    unrealizedPnL: equity - walletBalance, drawdown: equity - peak))
        let bucket = time.milliseconds >= 0 ? time.milliseconds / intervalMilliseconds : (time.milliseconds - intervalMilliseconds + 1) / intervalMilliseconds
        nextSampleAt = (bucket + 1) * intervalMilliseconds
    }
}
