import Testing
import TradingEngine
import TradingModel

/// `TradingKernel.adopt` while an entry of the kernel is still in flight for the symbol: the
/// venue's position is the truth, the entry stops being pending, and its executions are never
/// counted twice.
@Suite struct KernelAdoptionTests {
    typealias Kernel = TradingKernel<LongEveryBar, FixedNotionalEntryGate, QuietExitOwner>

    static let entryID = ClientOrderID("qt-k-1-en")!
    static func at(_ seconds: Int64) -> Timestamp { Timestamp(milliseconds: seconds * 1000) }

    static func candle(_ price: Price, minute: Int64) -> Candle {
        Candle(openTime: Timestamp(milliseconds: minute * 60_000), open: price, high: price, low: price, close: price, volume: 1)
    }

    static func fill(_ id: ClientOrderID, _ side: OrderSide, _ quantity: Quantity, at time: Timestamp) -> Fill {
        Fill(clientOrderID: id, symbol: TestInstrument.symbol, side: side, price: 100, quantity: quantity, fee: .zero, liquidity: .taker, time: time)
    }

    /// A kernel whose entry `qt-k-1-en` (LONG 10 at 100) was sent at 60 s and never reported,
    /// then the venue's LONG 10 adopted at 70 s; returns the kernel and the adoption's actions.
    static func adoptedWhileEntryInFlight() throws -> (Kernel, [KernelAction]) {
        let gate = FixedNotionalEntryGate(settings: .init(notional: 1000, leverage: 1, stopMove: Rate("0.01")!, targetMove: Rate("0.02")!,
                                                          roundQuantityToStep: true))
        var kernel = Kernel(instruments: [TestInstrument.instrument], strategies: [LongEveryBar()], gate: gate, initialBalance: 10_000,
                            equitySampleInterval: .seconds(60), runTag: "k", makeExitOwner: { _ in QuietExitOwner() })
        var actions: [KernelAction] = []
        kernel.onBar(candle(100, minute: 0), interval: .seconds(60), closeTime: at(60), symbolIndex: 0, into: &actions)
        kernel.onPrice(100, time: at(60), source: .barPath, symbolIndex: 0, into: &actions)
        let approved = try #require(actions.lazy.compactMap { if case .decision(.approved(let entry), _, _) = $0 { entry } else { nil } }.first)
        #expect(kernel.pendingEntry(symbolIndex: 0)?.orderID == entryID)
        actions.removeAll()
        let position = Position(symbol: TestInstrument.symbol, side: .long, quantity: 10, entryPrice: 100, leverage: 1,
                                isolatedMargin: 1000, openedAt: at(70))
        kernel.adopt(approved, position: position, adoptionID: ClientOrderID("qt-k-ad1")!, symbolIndex: 0, time: at(70), into: &actions)
        return (kernel, actions)
    }

    @Test("Adoption resolves the entry in flight: no longer pending, its late report not booked twice, later entries not blocked")
    func adoptionResolvesTheEntryInFlight() throws {
        var (kernel, actions) = try Self.adoptedWhileEntryInFlight()
        #expect(kernel.hasOwner(at: 0))
        #expect(kernel.pendingEntry(symbolIndex: 0) == nil)
        #expect(kernel.pendingEntryID(at: 0) == nil)
        #expect(actions.contains { if case .alert(let alert) = $0 { alert.kind == "kernel.entry_absorbed" } else { false } })

        // The entry's fill, executed before the adoption, is reported late: the adopted 10 hold it.
        actions.removeAll()
        kernel.onExecution(.filled(Self.fill(Self.entryID, .buy, 10, at: Self.at(65))), symbolIndex: 0, into: &actions)
        #expect(kernel.portfolio.slots[0]?.quantity == 10)
        #expect(kernel.pendingEntry(symbolIndex: 0) == nil)
        #expect(actions.contains { if case .alert(let alert) = $0 { alert.kind == "kernel.absorbed_fill_ignored" } else { false } })

        // The adopted position closes; the next signal is judged and sent (nothing holds it).
        kernel.onExecution(.filled(Self.fill(ClientOrderID("qt-k-2-ex")!, .sell, 10, at: Self.at(80))), symbolIndex: 0, into: &actions)
        #expect(kernel.portfolio.side(0) == nil)
        actions.removeAll()
        kernel.onBar(Self.candle(100, minute: 1), interval: .seconds(60), closeTime: Self.at(120), symbolIndex: 0, into: &actions)
        kernel.onPrice(100, time: Self.at(120), source: .barPath, symbolIndex: 0, into: &actions)
        #expect(actions.contains { if case .submit(let order) = $0 { !order.reduceOnly && order.side == .buy } else { false } })
    }

    @Test("An execution of the absorbed entry after the adoption is new: booked on the adopted position")
    func laterExecutionOfTheAbsorbedEntryIsBooked() throws {
        var (kernel, actions) = try Self.adoptedWhileEntryInFlight()
        actions.removeAll()
        kernel.onExecution(.filled(Self.fill(Self.entryID, .buy, 2, at: Self.at(75))), symbolIndex: 0, into: &actions)
        #expect(kernel.portfolio.slots[0]?.quantity == 12)
        #expect(kernel.pendingEntry(symbolIndex: 0) == nil)
    }
}
