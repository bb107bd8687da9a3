import Backtest
import TradingModel

/// The hooks a simulated venue needs from a replay: prices move it (fills, triggers), and a bar
/// path stops at its resting levels. `Backtest.SimulatedExecutionClient` provides them; live
/// venues have none.
public protocol SimulatedVenue: Sendable {
    func onPrice(_ price: Price, symbol: Symbol)
    func settleFunding(symbol: Symbol, rate: Rate, markPrice: Price)
    func nearestLevel(symbol: Symbol, from: Price, to: Price) -> Price?
}

extension SimulatedExecutionClient: SimulatedVenue {}
