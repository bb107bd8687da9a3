@testable import Signals
import Testing
import TradingTestSupport

@Suite(.ownThread) struct EnsembleWeightsTests {
    static let labels: [SignalClass] = (0..<200).map { [.none, .long, .short][$0 % 3] }

    static func sure(_ label: SignalClass) -> ClassProbabilities {
        switch label {
        case .none: ClassProbabilities(none: 0.8, long: 0.1, short: 0.1)
        case .long: ClassProbabilities(none: 0.1, long: 0.8, short: 0.1)
        case .short: ClassProbabilities(none: 0.1, long: 0.1, short: 0.8)
        }
    }

    @Test func anInformedMemberOutweighsAnUninformedOne() {
        let informed = Self.labels.map(Self.sure)
        let uninformed = Self.labels.map { _ in ClassProbabilities(none: 1.0 / 3, long: 1.0 / 3, short: 1.0 / 3) }
        let weights = EnsembleWeights.fit(members: [uninformed, informed], labels: Self.labels)
        #expect(weights == [0, 1])
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
    }

    @Test func identicalMembersKeepEqualWeights() {
        let member = Self.labels.map(Self.sure)
        #expect(EnsembleWeights.fit(members: [member, member, member, member], labels: Self.labels) == [0.25, 0.25, 0.25, 0.25])
        #expect(EnsembleWeights.fit(members: [member], labels: Self.labels) == [1])
    }

    @Test func combineIsTheWeightedAverage() {
        let a = [ClassProbabilities(none: 1, long: 0, short: 0)], b = [ClassProbabilities(none: 0, long: 1, short: 0)]
        #expect(EnsembleWeights.combine([a, b], weights: [0.3, 0.7], row: 0) == ClassProbabilities(none: 0.3, long: 0.7, short: 0))
    }
}
