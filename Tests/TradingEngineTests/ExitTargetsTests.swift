import Foundation
import Testing
import TradingEngine
import TradingModel

/// `ExitTargets` (the first target inline) behaves exactly like the array of its targets it
/// replaced: order, equality, JSON and text (the backtest digest and the stored plans depend on it).
@Suite("ExitTargets: an array of take-profit slices with the first one inline")
struct ExitTargetsTests {
    static let targets = [
        ExitTarget(price: Price("10.08")!, quantity: Quantity("3")!, priceMove: Rate("0.008")!, level: 1),
        ExitTarget(price: Price("10.16")!, quantity: Quantity("2")!, priceMove: Rate("0.016")!, level: 2),
        ExitTarget(price: Price("10.24")!, quantity: Quantity("1")!, priceMove: Rate("0.024")!, level: 3),
    ]

    @Test("0, 1 and 3 targets: same elements, order, count, first and text as the array", arguments: [0, 1, 3])
    func sameAsArray(count: Int) {
        let array = Array(Self.targets.prefix(count))
        let targets = ExitTargets(array)
        #expect(Array(targets) == array)
        #expect(targets.count == count)
        #expect(targets.isEmpty == array.isEmpty)
        #expect(targets.first == array.first)
        #expect(targets.map(\.level) == array.map(\.level))
        #expect(targets.indices.map { targets[$0] } == array)
        #expect("\(targets)" == "\(array)")
        #expect(String(reflecting: targets) == String(reflecting: array))
    }

    @Test("a plan prints its targets exactly as with an array field")
    func planText() {
        let one = ExitTargets(Self.targets[0])
        #expect(one == [Self.targets[0]])
        let plan = ExitPlan(symbol: "LINKUSDT", side: .long, entryPrice: Price("10")!, quantity: Quantity("3")!, leverage: 5,
                            stopPrice: Price("9.88")!, stopMove: Rate("0.012")!, targets: one,
                            backstopPrice: Price("9.8")!, liquidationPrice: Price("8.1")!)
        #expect("\(plan)".contains("targets: \([Self.targets[0]]), backstopPrice"), "\(plan)")
    }

    @Test("JSON is the array's, and decodes back", arguments: [0, 1, 3])
    func json(count: Int) throws {
        let array = Array(Self.targets.prefix(count))
        let encoded = try JSONEncoder().encode(ExitTargets(array))
        #expect(encoded == (try JSONEncoder().encode(array)))
        #expect(try JSONDecoder().decode(ExitTargets.self, from: encoded) == ExitTargets(array))
    }

    @Test("equal exactly when the arrays are equal")
    func equality() {
        #expect(ExitTargets(Self.targets) == [Self.targets[0], Self.targets[1], Self.targets[2]])
        #expect(ExitTargets(Self.targets) != ExitTargets(Self.targets.prefix(2)))
        #expect(ExitTargets() == [])
        #expect(ExitTargets(Self.targets[0]) != ExitTargets(Self.targets[1]))
    }
}
