import TradingModel

/// Every tunable of the exit engine, with documented defaults. All moves are *price moves from
/// entry* (`0.012` = 1.20% of the entry price), never ROE or equity percentages.
public struct ExitSettings: Sendable, Hashable, Codable {
    /// How the stop-loss distance is chosen.
    public enum StopPolicy: Sendable, Hashable, Codable {
        /// A fixed price move against the position, whatever the leverage (default 1.20%).
        /// The system we replace widened the stop with leverage; this one does not.
        case fixedPriceMove(Rate)
        /// The stop is set so that the loss on initial margin is at most `maxRoeLoss`:
        /// `stopMove = maxRoeLoss / L` (`0.30` at 20x gives a 1.50% stop).
        case marginRisk(maxRoeLoss: Rate)
    }

    /// Where the stop goes once a target has been harvested. The stop only ever tightens.
    public enum StopAdjustment: Sendable, Hashable, Codable {
        /// Leave the stop where it is.
        case keep
        /// Entry price moved in the position's favour by `breakEvenFeeAllowance` (covers fees).
        case breakEvenPlusFees
        /// The price of target `level` (1-based).
        case targetPrice(level: Int)
    }

    /// One harvest ladder: the fractions of the position closed at TP1, TP2, TP3 (they sum to 1).
    public struct HarvestLadder: Sendable, Hashable, Codable {
        /// Applies to leverage up to and including this value.
        public var maxLeverage: Double
        public var fractions: [Rate]
        public init(maxLeverage: Double, fractions: [Rate]) {
            self.maxLeverage = maxLeverage
            self.fractions = fractions
        }
    }

    /// Optional widening of targets and stop in volatile regimes.
    public struct VolatilityWidening: Sendable, Hashable, Codable {
        /// ATR percentile (0…1) above which widening starts (default 0.70).
        public var startPercentile: Double
        /// Extra multiplier reached at the 100th percentile (default 0.50: up to ×1.5).
        public var maxExtra: Double
        public init(startPercentile: Double = 0.70, maxExtra: Double = 0.50) {
            self.startPercentile = startPercentile
            self.maxExtra = maxExtra
        }

        /// `1 + maxExtra × (p − start) / (1 − start)` for `p` above `start`, else 1.
        public func multiplier(atrPercentile: Double) -> Double {
            let clamped = min(max(atrPercentile, 0), 1)
            guard clamped > startPercentile, startPercentile < 1 else { return 1 }
            return 1 + maxExtra * (clamped - startPercentile) / (1 - startPercentile)
        }
    }

    /// Bounded retries for a rejected reduce-only close or backstop.
    public struct RetryPolicy: Sendable, Hashable, Codable {
        /// Attempts before a CRITICAL alert (closes) or the fail-closed market close (backstop).
        public var maxAttempts: Int
        /// Wait between attempts (timer events drive the retries).
        public var interval: Duration
        public init(maxAttempts: Int, interval: Duration) {
            self.maxAttempts = maxAttempts
            self.interval = interval
        }
    }

    /// Target base move (default 1.0%): `TP1 = base × (0.6 + LSF)`, …
    public var baseTargetMove: Rate = Rate("0.01")!
    /// Default `.fixedPriceMove(1.20%)`.
    public var stopPolicy: StopPolicy = .fixedPriceMove(Rate("0.012")!)
    /// Ladders by leverage band, ascending. Default ≤10x 30/30/40, ≤30x 40/40/20, above 50/30/20.
    public var harvestLadders: [HarvestLadder] = [
        HarvestLadder(maxLeverage: 10, fractions: [Rate("0.3")!, Rate("0.3")!, Rate("0.4")!]),
        HarvestLadder(maxLeverage: 30, fractions: [Rate("0.4")!, Rate("0.4")!, Rate("0.2")!]),
        HarvestLadder(maxLeverage: 1_000, fractions: [Rate("0.5")!, Rate("0.3")!, Rate("0.2")!]),
    ]
    /// Exchange backstop trigger beyond the local stop, as a price move from entry (default 0.30%).
    public var backstopBuffer: Rate = Rate("0.003")!
    /// The backstop must trigger at least this price move (from entry) inside the estimated
    /// liquidation price (default 0.25%); otherwise the plan is rejected.
    public var liquidationBuffer: Rate = Rate("0.0025")!
    /// Off by default.
    public var volatilityWidening: VolatilityWidening? = nil
    /// Default `.breakEvenPlusFees`.
    public var stopAfterFirstTarget: StopAdjustment = .breakEvenPlusFees
    /// Default `.targetPrice(level: 1)`.
    public var stopAfterSecondTarget: StopAdjustment = .targetPrice(level: 1)
    /// Round-trip fees the break-even stop covers (default 0.10% = 2 × 0.05% taker).
    public var breakEvenFeeAllowance: Rate = Rate("0.001")!
    /// Trailing distance for the last slice once every other target is hit; nil = off (default).
    /// Local only: the exchange backstop stays at the last discrete stop level.
    public var trailingStopDistance: Rate? = nil
    /// The one price the exit engine works on (default mark price): the live prices the
    /// executor decides on (`PriceEvent`s of the other source are ignored; backtest bar-path
    /// events are always accepted) and the `workingType` of its exchange backstop. Live and
    /// paper trading drive the executor with this stream (`[exit] price_source`).
    public var priceSource: TriggerPriceSource = .markPrice
    /// Reduce-only closes: 3 attempts 1 s apart, then CRITICAL alert and keep retrying.
    public var closeRetry = RetryPolicy(maxAttempts: 3, interval: .seconds(1))
    /// Backstop placement: 3 attempts, then close at market with a CRITICAL alert.
    public var backstopRetry = RetryPolicy(maxAttempts: 3, interval: .seconds(1))
    /// A close with no venue answer within this span raises a CRITICAL alert (default 5 s).
    public var closeConfirmDeadline: Duration = .seconds(5)
    /// A backstop not accepted within this span counts as a failed attempt (default 3 s).
    public var backstopAcceptDeadline: Duration = .seconds(3)

    public init() {}

    /// Checks the settings, naming the first bad field.
    public func validate() throws(ExitSettingsError) {
        guard baseTargetMove.isPositive else { throw ExitSettingsError(field: "baseTargetMove", message: "must be positive, got \(baseTargetMove)") }
        switch stopPolicy {
        case .fixedPriceMove(let move):
            guard move.isPositive else { throw ExitSettingsError(field: "stopPolicy.fixedPriceMove", message: "must be positive, got \(move)") }
        case .marginRisk(let loss):
            guard loss.isPositive else { throw ExitSettingsError(field: "stopPolicy.marginRisk.maxRoeLoss", message: "must be positive, got \(loss)") }
        }
        guard !harvestLadders.isEmpty else { throw ExitSettingsError(field: "harvestLadders", message: "at least one ladder is required") }
        for (index, ladder) in harvestLadders.enumerated() {
            guard ladder.fractions.count == 3, ladder.fractions.allSatisfy(\.isPositive),
                  ladder.fractions.reduce(Rate.zero, +) == Rate(units: 1)
            else {
                throw ExitSettingsError(field: "harvestLadders[\(index)].fractions",
                                        message: "need three positive fractions summing to 1, got \(ladder.fractions)")
            }
        }
        guard !backstopBuffer.isNegative else { throw ExitSettingsError(field: "backstopBuffer", message: "must not be negative") }
        guard !liquidationBuffer.isNegative else { throw ExitSettingsError(field: "liquidationBuffer", message: "must not be negative") }
        if let trail = trailingStopDistance, !trail.isPositive {
            throw ExitSettingsError(field: "trailingStopDistance", message: "must be positive when set, got \(trail)")
        }
        guard closeRetry.maxAttempts >= 1 else { throw ExitSettingsError(field: "closeRetry.maxAttempts", message: "must be at least 1") }
        guard backstopRetry.maxAttempts >= 1 else { throw ExitSettingsError(field: "backstopRetry.maxAttempts", message: "must be at least 1") }
        if case .targetPrice(let level) = stopAfterFirstTarget, level != 1 {
            throw ExitSettingsError(field: "stopAfterFirstTarget", message: "after TP1 the stop can only move to TP1 itself, got level \(level)")
        }
        if case .targetPrice(let level) = stopAfterSecondTarget, !(1...2).contains(level) {
            throw ExitSettingsError(field: "stopAfterSecondTarget", message: "after TP2 the stop can only move to TP1 or TP2, got level \(level)")
        }
    }
}

/// A bad exit setting, naming the field.
public struct ExitSettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "exit settings: \(field): \(message)" }
}
