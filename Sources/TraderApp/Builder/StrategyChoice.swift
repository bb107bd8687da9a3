import TradingEngine
import TradingModel

/// The strategy a configuration names, resolved once by `TraderBuilder` (for `ml-ensemble`: the
/// model loaded and checked for the session's symbols, bar interval and period): the one place
/// that turns `[strategy] name` into a strategy maker.
enum StrategyChoice: Sendable {
    case emaCross(EMACrossMaker)
    case mlEnsemble(MLEnsembleMaker)

    /// - Parameters:
    ///   - symbols: every symbol of the session (`ml-ensemble`: all feed the features).
    ///   - period: the market data's span when it is known (a replayed file), else the session's
    ///     start twice; `ml-ensemble` checks it against the model's training window.
    init(_ strategy: StrategySettings, symbols: [Symbol], barInterval: Duration,
         period: (start: Timestamp, end: Timestamp)) throws(StartupError) {
        switch strategy.name {
        case .emaCross:
            self = .emaCross(EMACrossMaker(strategy))
        case .mlEnsemble:
            do {
                self = .mlEnsemble(try MLEnsembleMaker(strategy: strategy, symbols: symbols, periodStart: period.start, periodEnd: period.end,
                                                       barInterval: barInterval))
            } catch {
                throw StartupError(.model, "ml-ensemble refused: \(error)", field: "[strategy] model_dir", cause: error)
            }
        }
    }

    /// Calls `visitor` with the maker (the strategy's concrete type, so the kernel stays specialised).
    func visit<Visitor: StrategyMakerVisitor>(_ visitor: Visitor) throws -> Visitor.Output {
        switch self {
        case .emaCross(let maker): try visitor.visit(maker)
        case .mlEnsemble(let maker): try visitor.visit(maker)
        }
    }

    /// The maker, without its concrete type (labels, notes, warm-up).
    var maker: any StrategyMaker {
        switch self {
        case .emaCross(let maker): maker
        case .mlEnsemble(let maker): maker
        }
    }

    /// The strategy's name in run labels (`ema-cross`, `ml-ensemble@<model version>`).
    var label: String { maker.label }

    /// Lines about the strategy for the terminal (model, windows, in-sample warning).
    var notes: [String] { maker.notes }

    /// The history a warm start back-fills: the strategy's and, with `validation`, `[validation]`'s.
    func warmUpPlan(validation: ValidationSettings?, symbols: [Symbol]) -> WarmUpPlan {
        maker.warmUpPlan(validation: validation, symbols: symbols)
    }
}

/// Something generic over the strategy maker a configuration names (`StrategyChoice.visit`).
protocol StrategyMakerVisitor {
    associatedtype Output
    func visit<Maker: StrategyMaker>(_ maker: Maker) throws -> Output
}
