import Testing
import TradingEngine
import TradingModel

/// What the kernel hands an exit owner when a position opens: the position's key (symbol and
/// entry order id, with its `<symbol>-<entry id>` text), the instrument and the owner's ids.
@Suite("Kernel: the contexts it hands to exit owners")
struct KernelContextTests {
    /// Records every context the kernel creates an owner from.
    final class Contexts {
        var owners: [ExitOwnerContext] = []
    }

    static let gate = FixedNotionalEntryGate(settings: .init(notional: 1000, leverage: 2, stopMove: Rate("0.01")!, targetMove: Rate("0.02")!,
                                                             roundQuantityToStep: true))

    static func candle(_ price: Price, minute: Int64) -> Candle {
        Candle(openTime: Timestamp(milliseconds: minute * 60_000), open: price, high: price, low: price, close: price, volume: 1)
    }

    @Test("the owner's context: key = symbol + entry order id, text <symbol>-<entry id>, the instrument, its own run tag")
    func ownerContext() {
        let contexts = Contexts()
        var kernel = TradingKernel<LongEveryBar, FixedNotionalEntryGate, QuietExitOwner>(
            instruments: [TestInstrument.instrument], strategies: [LongEveryBar()], gate: Self.gate, initialBalance: 10_000,
            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { context in
                contexts.owners.append(context)
                return QuietExitOwner()
            })
        var actions: [KernelAction] = []
        kernel.onBar(Self.candle(100, minute: 0), interval: .seconds(60), closeTime: Timestamp(milliseconds: 60_000), symbolIndex: 0, into: &actions)
        kernel.onPrice(100, time: Timestamp(milliseconds: 60_000), source: .barPath, symbolIndex: 0, into: &actions)
        kernel.onExecution(.filled(TestInstrument.fill(.buy, "10", at: "100", time: 60_000, id: "qt-k-1-en")), symbolIndex: 0, into: &actions)
        #expect(contexts.owners.count == 1)
        guard let context = contexts.owners.first else { return }
        #expect(context.key == PositionKey(symbol: TestInstrument.symbol, entryOrderID: ClientOrderID("qt-k-1-en")!))
        #expect(context.positionKey == "TESTUSDT-qt-k-1-en")
        #expect(context.instrument == TestInstrument.instrument)
        #expect(context.orderIDs.runTag == "kp1")
        #expect(context.position.quantity == 10 && context.entry.quantity == Quantity("10")!)
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
