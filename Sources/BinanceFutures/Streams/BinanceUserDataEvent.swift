import TradingModel

/// A decoded user-data-stream event (listenKey stream). Values are fixed point.
public enum BinanceUserDataEvent: Sendable, Hashable {
    case orderUpdate(OrderUpdate)
    case accountUpdate(AccountUpdate)
    case algoUpdate(AlgoUpdate)
    /// No more events will arrive on this key: create a new one, reconnect, resync via REST.
    case listenKeyExpired(listenKey: String, time: Timestamp)
    /// A risk alarm from the venue (cross wallet near maintenance margin).
    case marginCall(time: Timestamp)
    /// `ACCOUNT_CONFIG_UPDATE`: a symbol's leverage changed (`ac.s`, `ac.l`); nil fields when the
    /// update is about something else (multi-assets mode, `ai`).
    case accountConfigUpdate(symbol: Symbol?, leverage: Int?, time: Timestamp)
    /// An event type we do not use (`TRADE_LITE`, …); logged and dropped.
    case ignored(String)
    /// A message that could not be parsed or carried absurd values: dropped, reported as a
    /// `BinanceStreamProblem` (`BinanceExecutionClient.streamProblems()`). Whatever it said is
    /// lost, so it is a gap in the stream.
    case unparseable(BinanceDecodingError)

    /// `ORDER_TRADE_UPDATE.o`.
    public struct OrderUpdate: Sendable, Hashable {
        public var symbol: Symbol
        /// `c`, as sent (validated into a `ClientOrderID` by the translator).
        public var clientOrderID: String
        public var side: OrderSide
        /// `o` (`MARKET`, `LIMIT`, …) and `ot` original type.
        public var orderType: String
        /// `x`: `NEW`, `CANCELED`, `CALCULATED` (liquidation), `EXPIRED`, `TRADE`, `AMENDMENT`.
        public var executionType: String
        /// `X`: `NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`, `EXPIRED`, `EXPIRED_IN_MATCH`.
        public var orderStatus: String
        public var orderID: Int64
        public var quantity: Quantity
        public var lastFilledQuantity: Quantity
        public var cumulativeFilledQuantity: Quantity
        public var lastFilledPrice: Price
        public var averagePrice: Price
        public var commissionAsset: String?
        /// Commission of this fill, positive = paid; zero when absent.
        public var commission: Money
        public var tradeID: Int64
        public var isMaker: Bool
        public var reduceOnly: Bool
        /// `rp`: realized profit of this trade.
        public var realizedProfit: Money
        /// `o.T` trade time, top-level `E` event time.
        public var tradeTime: Timestamp
        public var eventTime: Timestamp
        public var receiveTime: Timestamp
    }

    /// `ACCOUNT_UPDATE.a`.
    public struct AccountUpdate: Sendable, Hashable {
        /// `m`: `ORDER`, `FUNDING_FEE`, `DEPOSIT`, …
        public var reason: String
        public var balances: [Balance]
        public var positions: [PositionEntry]
        public var transactionTime: Timestamp
        public var eventTime: Timestamp

        public struct Balance: Sendable, Hashable {
            public var asset: String
            public var walletBalance: Money
            public var crossWalletBalance: Money?
            public var balanceChange: Money?
        }

        public struct PositionEntry: Sendable, Hashable {
            public var symbol: Symbol
            public var signedQuantity: Quantity
            public var entryPrice: Price
            public var unrealizedPnL: Money
            public var marginType: String?
            public var isolatedWallet: Money?
            /// `BOTH` in one-way mode; `LONG`/`SHORT` in hedge mode.
            public var positionSide: String
        }
    }

    /// `ALGO_UPDATE.o`.
    public struct AlgoUpdate: Sendable, Hashable {
        public var clientAlgoID: String
        public var algoID: Int64
        public var orderType: String
        public var symbol: Symbol
        public var side: OrderSide
        public var quantity: Quantity?
        /// `X`: `NEW`, `CANCELED`, `TRIGGERING`, `TRIGGERED`, `FINISHED`, `REJECTED`, `EXPIRED`.
        public var status: String
        /// `ai`: the matching-engine order id once triggered.
        public var actualOrderID: Int64?
        public var averagePrice: Price?
        public var executedQuantity: Quantity?
        public var triggerPrice: Price?
        /// `rm`: failure reason (e.g. "Reduce Only reject").
        public var failureReason: String?
        public var transactionTime: Timestamp
        public var eventTime: Timestamp
    }
}
