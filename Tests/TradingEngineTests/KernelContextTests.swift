import Testing
import TradingEngine
import TradingModel

/// What the kernel hands its gate when a signal is judged and an exit owner when a position
/// opens: the symbol's own instrument (referenced by index), the position's key (symbol and entry
/// order id, with its `<symbol>-<entry id>` text) and the owner's ids.
@Suite("Kernel: the contexts it hands to the gate and the exit owners")
struct KernelContextTests {
    /// Records every context the kernel hands to its gate and its owners' factory.
    final class Contexts {
        var entries: [EntryContext] = []
        var owners: [ExitOwnerContext] = []
    }

    /// Signals LONG for its own symbol on its first bar.
    struct LongOnce: TradingStrategy {
        let symbol: Symbol
        var fired = false
        mutating func onBar(_ candle: Candle, closeTime: Timestamp, alerts: inout [Alert]) -> Signal? {
            defer { fired = true }
            return fired ? nil : Signal(symbol: symbol, side: .long, confidence: nil, time: closeTime, source: "test")
        }
    }

    /// The fixed-notional gate, recording each context it judges.
    struct RecordingGate: EntryGate {
        var gate = FixedNotionalEntryGate(settings: .init(notional: 1000, leverage: 2, stopMove: Rate("0.01")!, targetMove: Rate("0.02")!,
                                                          roundQuantityToStep: true))
        let contexts: Contexts
        mutating func observe(_ event: MarketEvent) {}
        mutating func evaluate(_ signal: Signal, context: EntryContext) -> EntryEvaluation {
            contexts.entries.append(context)
            return gate.evaluate(signal, context: context)
        }
        mutating func positionClosed(symbol: Symbol, reason: ExitReason, netPnL: Money, time: Timestamp) -> [RiskAction] { [] }
    }

    /// A second instrument with its own symbol and a coarser tick and step.
    static let other: Instrument = {
        var instrument = TestInstrument.instrument
        instrument.symbol = "OTHERUSDT"
        instrument.tickSize = Price("0.1")!
        instrument.stepSize = Quantity("0.01")!
        instrument.marketStepSize = Quantity("0.01")!
        return instrument
    }()

    static func candle(_ price: Price, minute: Int64) -> Candle {
        Candle(openTime: Timestamp(milliseconds: minute * 60_000), open: price, high: price, low: price, close: price, volume: 1)
    }

    @Test("the second symbol's entry and owner contexts: its instrument, its key (symbol + entry id, text <symbol>-<entry id>), its owner's run tag")
    func contextsOfTheSecondSymbol() {
        let contexts = Contexts()
        let instruments = [TestInstrument.instrument, Self.other]
        var kernel = TradingKernel<LongOnce, RecordingGate, QuietExitOwner>(
            instruments: instruments, strategies: [LongOnce(symbol: TestInstrument.symbol), LongOnce(symbol: Self.other.symbol)],
            gate: RecordingGate(contexts: contexts), initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { context in
                contexts.owners.append(context)
                return QuietExitOwner()
            })
        var actions: [KernelAction] = []
        kernel.onBar(Self.candle(100, minute: 0), interval: .seconds(60), closeTime: Timestamp(milliseconds: 60_000), symbolIndex: 1, into: &actions)
        kernel.onPrice(Price("99.97")!, time: Timestamp(milliseconds: 60_000), source: .barPath, symbolIndex: 1, into: &actions)
        #expect(contexts.entries.count == 1)
        guard let entry = contexts.entries.first else { return }
        #expect(entry.instrument == Self.other && entry.instrumentIndex == 1 && entry.price == Price("99.97")!)
        // Sized on the second instrument's step: 1000 / 99.97 = 10.003… → 10.00 (not the first's 10.003).
        guard case .submit(let order) = actions.last else { Issue.record("expected the entry order, got \(actions)"); return }
        #expect(order.symbol == Self.other.symbol && order.quantity == Quantity("10")!)
        let fill = Fill(clientOrderID: order.clientOrderID, symbol: Self.other.symbol, side: .buy, price: Price("99.97")!, quantity: Quantity("10")!,
                        fee: .zero, liquidity: .taker, time: Timestamp(milliseconds: 60_000))
        kernel.onExecution(.filled(fill), symbolIndex: 1, into: &actions)
        #expect(contexts.owners.count == 1)
        guard let owner = contexts.owners.first else { return }
        #expect(owner.instrument == Self.other && owner.instrumentIndex == 1)
        #expect(owner.key == PositionKey(symbol: Self.other.symbol, entryOrderID: ClientOrderID("qt-k-1-en")!))
        #expect(owner.positionKey == "OTHERUSDT-qt-k-1-en")
        #expect(owner.orderIDs.runTag == "kp1")
        #expect(owner.position.symbol == Self.other.symbol && owner.position.quantity == Quantity("10")!)
    }

    @Test("a context made for one instrument reads and changes that instrument")
    func singleInstrumentContext() {
        var context = EntryContext(time: Timestamp(milliseconds: 0), instrument: Self.other, price: 100, equity: 1000, availableMargin: 1000,
                                   openPositions: [], prices: [:], fundingRate: nil)
        #expect(context.instrument == Self.other && context.instruments == [Self.other])
        context.instrument.minNotional = Money(units: 7)
        #expect(context.instrument.minNotional == Money(units: 7) && context.instruments[0].minNotional == Money(units: 7))
    }

    @Test("a position key's text is <symbol>-<entry id>, also past the 15 bytes a string keeps inline")
    func keyText() {
        let short = PositionKey(symbol: "ATOMUSDT", entryOrderID: ClientOrderID("new")!)
        #expect(short.text == "ATOMUSDT-new" && "\(short)" == "ATOMUSDT-new")
        let long = PositionKey(symbol: "1000SHIBUSDT", entryOrderID: ClientOrderID("qt-session12345-123456789012-en")!)
        #expect(long.text == "1000SHIBUSDT-qt-session12345-123456789012-en")
        #expect(long != PositionKey(symbol: "1000SHIBUSDT", entryOrderID: ClientOrderID("qt-session12345-123456789013-en")!))
    }
}
