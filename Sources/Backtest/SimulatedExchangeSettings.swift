import TradingEngine
import TradingModel

/// How the simulated venue fills and checks orders.
public struct SimulatedExchangeSettings: Sendable, Hashable {
    /// When an accepted order may act.
    public enum Latency: String, Sendable, Hashable, CaseIterable {
        /// At the price point it was submitted at (a stop close fills at the crossing).
        case none
        /// From the next price point on.
        case nextPricePoint = "next_price_point"
    }

    public var fees: FeeSchedule
    /// Adverse slippage on taker fills, in basis points (`2` = 0.02%).
    public var slippageBasisPoints: Int64
    public var latency: Latency
    /// Reject quantities/prices off the step/tick grid (Binance). False only for the reference
    /// benchmark, whose quantities are `notional / price` unrounded.
    public var enforcePrecision: Bool
    /// Leverage of a symbol until `setLeverage` (Binance's default is 20).
    public var defaultLeverage: Int

    public init(fees: FeeSchedule, slippageBasisPoints: Int64, latency: Latency, enforcePrecision: Bool, defaultLeverage: Int) {
        precondition(slippageBasisPoints >= 0 && defaultLeverage >= 1, "slippage must be >= 0 and leverage >= 1")
        self.fees = fees
        self.slippageBasisPoints = slippageBasisPoints
        self.latency = latency
        self.enforcePrecision = enforcePrecision
        self.defaultLeverage = defaultLeverage
    }
}

/// An order resting at (or in flight to) the simulated venue.
public struct SimulatedOrder: Sendable, Hashable {
    public var request: OrderRequest
    public var symbolIndex: Int
    public var venueOrderID: String
    /// Price-point sequence from which the order may act.
    public var eligibleFrom: Int64
    /// True when the order rested on the book (a limit that was not marketable): maker fills at its price.
    public var resting: Bool
}
