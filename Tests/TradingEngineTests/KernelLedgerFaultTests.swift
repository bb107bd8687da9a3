import Testing
import TradingEngine
import TradingModel

/// When the ledger cannot book an amount (a venue's value beyond ±`Portfolio.maximumMagnitude`),
/// the kernel — the same one the live bot runs — raises one critical alert and judges no further
/// entry against the broken ledger: each later signal is rejected with `ledgerFault(…)`.
@Suite struct KernelLedgerFaultTests {
    static func candle(_ price: Price, minute: Int64) -> Candle {
        Candle(openTime: Timestamp(milliseconds: minute * 60_000), open: price, high: price, low: price, close: price, volume: 1)
    }

    static func ledgerFaultAlerts(_ actions: [KernelAction]) -> [Alert] {
        actions.compactMap { if case .alert(let alert) = $0, alert.kind == "kernel.ledger_fault" { alert } else { nil } }
    }

    @Test func anUnbookableFundingPaymentAlertsOnceAndStopsEntries() throws {
        let gate = FixedNotionalEntryGate(settings: .init(notional: 1000, leverage: 1, stopMove: Rate("0.01")!, targetMove: Rate("0.02")!,
                                                          roundQuantityToStep: true))
        var kernel = TradingKernel<LongEveryBar, FixedNotionalEntryGate, QuietExitOwner>(
            instruments: [TestInstrument.instrument], strategies: [LongEveryBar()], gate: gate, initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { _ in QuietExitOwner() })
        var actions: [KernelAction] = []
        // Bar 0 signals; the entry (1000 / 100 = 10) fills at 100.
        kernel.onBar(Self.candle(100, minute: 0), interval: .seconds(60), closeTime: Timestamp(milliseconds: 60_000), symbolIndex: 0, into: &actions)
        kernel.onPrice(100, time: Timestamp(milliseconds: 60_000), source: .barPath, symbolIndex: 0, into: &actions)
        #expect(actions.contains(.submit(OrderRequest(clientOrderID: ClientOrderID("qt-k-1-en")!, symbol: TestInstrument.symbol, side: .buy,
                                                      type: .market, quantity: 10))))
        kernel.onExecution(.filled(Fill(clientOrderID: ClientOrderID("qt-k-1-en")!, symbol: TestInstrument.symbol, side: .buy, price: 100,
                                        quantity: 10, fee: .zero, liquidity: .taker, time: Timestamp(milliseconds: 60_000))),
                           symbolIndex: 0, into: &actions)
        #expect(kernel.hasOwner(at: 0))
        actions.removeAll()

        // A funding payment of Int64.max raw units cannot be booked: one critical alert.
        let payment = ExecutionEvent.fundingPaid(symbol: TestInstrument.symbol, amount: Money(raw: .max), rate: Rate("0.0001")!,
                                                 time: Timestamp(milliseconds: 61_000))
        kernel.onExecution(payment, symbolIndex: 0, into: &actions)
        let alerts = Self.ledgerFaultAlerts(actions)
        #expect(alerts.count == 1)
        #expect(alerts.first?.severity == .critical)
        #expect(alerts.first?.message.hasSuffix("; no new entries") == true)
        #expect(kernel.portfolio.fault != nil)
        // A second one adds no second alert.
        kernel.onExecution(payment, symbolIndex: 0, into: &actions)
        #expect(Self.ledgerFaultAlerts(actions).count == 1)

        // The position is closed; the next signal finds a flat account and is refused.
        kernel.onExecution(.filled(Fill(clientOrderID: ClientOrderID("qt-k-2-ex")!, symbol: TestInstrument.symbol, side: .sell, price: 100,
                                        quantity: 10, fee: .zero, liquidity: .taker, time: Timestamp(milliseconds: 62_000))),
                           symbolIndex: 0, into: &actions)
        #expect(kernel.portfolio.side(0) == nil)
        actions.removeAll()
        kernel.onBar(Self.candle(100, minute: 1), interval: .seconds(60), closeTime: Timestamp(milliseconds: 120_000), symbolIndex: 0, into: &actions)
        kernel.onPrice(100, time: Timestamp(milliseconds: 120_000), source: .barPath, symbolIndex: 0, into: &actions)
        let reasons = actions.flatMap { action -> [RejectionReason] in
            if case .decision(.rejected(_, let reasons), _, _) = action { reasons } else { [] }
        }
        #expect(reasons.count == 1)
        #expect(reasons.first?.kind == "ledger_fault")
        #expect(reasons.first?.description.hasPrefix("ledgerFault(") == true)
        #expect(!actions.contains { if case .submit = $0 { true } else { false } })
    }
}
