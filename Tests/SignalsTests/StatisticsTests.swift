import Signals
import Testing
import TradingModel
import TradingTestSupport

/// The statistics of the report against independently computed values. Reference values were
/// computed with Python 3 / numpy / scipy (script in each test's comment; numpy's default
/// linear quantile, scipy.stats.skew / kurtosis(fisher=False), scipy.stats.rankdata).
@Suite(.ownThread) struct StatisticsTests {
    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// scipy.stats.norm.ppf / norm.cdf at these points.
    @Test func normalQuantileAndCDFMatchScipy() {
        let quantiles: [(Double, Double)] = [(1e-10, -6.361340902404056), (0.001, -3.090232306167813), (0.025, -1.9599639845400545),
                                             (0.3, -0.5244005127080409), (0.5, 0), (0.9, 1.2815515655446004),
                                             (0.975, 1.959963984540054), (0.999999, 4.753424308817087)]
        // as exact as p itself allows: dx = dp / φ(x), and p = 0.999999 carries an error of ~1e-16
        for (p, expected) in quantiles { #expect(Self.close(NormalDistribution.quantile(p), expected, p > 0.99999 ? 1e-10 : 1e-12), "p = \(p)") }
        let cdf: [(Double, Double)] = [(-3.5, 0.00023262907903552502), (-1, 0.15865525393145707), (0, 0.5), (0.7, 0.758036347776927),
                                       (2.2, 0.9860965524865014)]
        for (x, expected) in cdf { #expect(Self.close(NormalDistribution.cdf(x), expected, 1e-14), "x = \(x)") }
    }

    /// x = [0.01, -0.02, 0.015, 0.03, -0.01, 0.005, 0.04, -0.035]: x.mean(), x.std(ddof=1),
    /// stats.skew(x), stats.kurtosis(x, fisher=False).
    @Test func momentsMatchScipy() throws {
        let moments = try #require(SampleMoments([0.01, -0.02, 0.015, 0.03, -0.01, 0.005, 0.04, -0.035]))
        #expect(Self.close(moments.mean, 0.0043749999999999995))
        #expect(Self.close(moments.standardDeviation, 0.025133571743216853))
        #expect(Self.close(moments.skewness, -0.14507585458329073, 1e-10))
        #expect(Self.close(moments.kurtosis, 1.9864206070746295, 1e-10))
        #expect(SampleMoments([1, 1, 1]) == nil)
    }

    /// Hand-computed: p = [0.01, 0.04, 0.03, 0.005], m = 4. Sorted 0.005, 0.01, 0.03, 0.04 →
    /// 4·0.005 = 0.02; 3·0.01 = 0.03; 2·0.03 = 0.06; 1·0.04 = 0.04 → running max 0.06.
    /// A fifth configuration without trades (nil) raises m to 5: 0.025, 0.04, 0.09, 0.09.
    @Test func holmAdjustmentByHand() {
        let adjusted = HolmAdjustment.adjust([0.01, 0.04, 0.03, 0.005])
        #expect(zip(adjusted, [0.03, 0.06, 0.06, 0.02]).allSatisfy { Self.close($0, $1) })
        let withUntested = HolmAdjustment.adjust([0.01, 0.04, nil, 0.03, 0.005])
        #expect(withUntested[2] == nil)
        #expect(zip([withUntested[0], withUntested[1], withUntested[3], withUntested[4]], [0.04, 0.09, 0.09, 0.025]).allSatisfy { Self.close($0, $1) })
        #expect(HolmAdjustment.adjust([0.9, 0.8]).allSatisfy { $0! <= 1 })
    }

    /// The bootstrap replicated in Python (SplitMix64 as `SeededRandom`, the same draws):
    ///     D = 10, L = 3, B = 500, seed 7; blocks = ceil(D/L) = 4; start = next() % D;
    ///     θ* = Σ sums / Σ counts over the first D resampled days (skipped when Σ counts = 0)
    ///     lower, upper = np.quantile(θ*, [0.025, 0.975]); p = (1 + #(θ* <= 0)) / (B' + 1)
    @Test func dayBlockBootstrapMatchesAnIndependentReplica() throws {
        let sums = [0.01, -0.004, 0.0, 0.006, -0.012, 0.02, 0.003, 0.0, -0.002, 0.008]
        let counts: [Double] = [2, 1, 0, 3, 2, 2, 1, 0, 1, 2]
        let interval = try #require(DayBlockBootstrap(resamples: 500, blockDays: 3, seed: 7).interval(daySums: sums, dayCounts: counts))
        #expect(Self.close(interval.lower, -0.0002449675324675324, 1e-12))
        #expect(Self.close(interval.upper, 0.0047541666666666635, 1e-12))
        #expect(Self.close(interval.pValue, 0.03592814371257485, 1e-12))
        #expect(interval.resamples == 500 && interval.blockDays == 3 && interval.days == 10)
        #expect(Self.close(interval.estimate, 0.029 / 14))
        // automatic block length: round(D^(1/3)); 100 days → 5, 10 → 2, 1 → 1
        #expect(DayBlockBootstrap().blockLength(days: 100) == 5 && DayBlockBootstrap().blockLength(days: 10) == 2
                && DayBlockBootstrap().blockLength(days: 1) == 1)
    }

    /// CSCV by an independent numpy implementation on R = rng(5).normal(0, 1, (24, 4)) * 0.01 +
    /// [0.001, 0, -0.001, 0.002], S = 6: blocks ⌊bT/S⌋, itertools.combinations(range(6), 3),
    /// in-sample argmax Sharpe (ddof=1), out-of-sample rank = stats.rankdata(oos)[best],
    /// ω = rank/(N+1), λ = ln(ω/(1−ω)); PBO = mean(λ <= 0) = 0.35 over 20 combinations, median λ 0.8958797346140275.
    @Test func overfittingProbabilityMatchesAnIndependentImplementation() throws {
        let flat = [-0.007019314252534474, -0.01324358995628145, -0.0034836162209524856, 0.006204452380655215, 0.012360465324896427, 0.001097063993218082,
                    -0.006526473205362325, -0.005847803553442783, 0.008487457707345911, 0.016347830429585774, 0.0017276877584472177, -0.010333286640307717,
                    -0.008582652054360887, 0.016000190889991116, 0.0010288244050860838, -0.015321348424395849, 0.00016303807182974192, -0.011632259734447486,
                    -0.007292880940615545, -0.002880058232768574, -0.006133133716322436, 0.005533784703532895, -0.0016308597192528917, -0.003894312580326048,
                    0.00509637826557117, 0.00829855307061324, -0.017430233714056772, -0.0005673012636549404, -0.008807473560440125, -0.0017315522486203206,
                    -0.013894187467538587, 0.002206903940375912, 0.0006211425895593177, -0.00304337750958489, -0.011479265051202461, -0.001961903304730927,
                    -0.00991328901695709, -0.013552087462047396, 0.0012478573245989313, -0.00909349937891366, 0.012702961011782934, 0.007165876558738361,
                    -0.020978166924497214, 0.00472128869412488, -0.010017166275810448, 0.00033057220158269195, -0.000563680074305784, -0.01788429788231121,
                    -0.0013342252376577005, -0.00255790031399391, 0.008620005318430945, -0.009814468079562157, 0.00838041897845684, -0.010989727630364064,
                    -0.004312908926999167, -0.006404731684222112, 0.01548731288921672, 0.005682130997882933, 0.023317325028452122, 0.008419163790823206,
                    0.009449927337191754, 0.008406828762653402, -0.007066115359095517, 0.0012997155336161794, 0.014503888677446262, -0.003965507651729716,
                    0.0008879953129109868, 0.0017877653958271022, 0.007092164928327407, -0.0036490874194737262, -0.002523618887568483, 0.004423814286721504,
                    0.002030231384868077, -0.008649727462818202, 0.00795783043189444, -0.01098481208246912, -0.011011155488035267, -0.01282491794740462,
                    0.00866972278933215, -0.0016060836889927, -0.008710363785210656, -0.011360213941896466, 0.0032113113746240615, -0.00854840662577835,
                    -0.01172078210097642, 0.006139930624688609, -0.012967077271925705, -0.0012243815075139728, 0.0009323845965347822, -0.004453353669298123,
                    -0.0015409396159544828, 0.015387734990547715, -0.004168941525892749, -0.012593071588782277, -0.019367457051936796, -4.766116833867075e-05]
        let matrix = (0..<24).map { Array(flat[($0 * 4)..<($0 * 4 + 4)]) }
        let pbo = try #require(OverfittingProbability.compute(returns: matrix, partitions: 6))
        #expect(pbo.combinations == 20 && pbo.partitions == 6 && pbo.configurations == 4 && pbo.periods == 24)
        #expect(Self.close(pbo.probability, 0.35))
        #expect(Self.close(pbo.medianLogit, 0.8958797346140275, 1e-12))
        // Too few periods for 4 partitions of 2 rows: no figure rather than a meaningless one.
        #expect(OverfittingProbability.compute(returns: Array(matrix.prefix(7)), partitions: 16) == nil)
    }

    /// numpy/scipy: rets = [0.004, −0.012, 0.0073, 0.0073, −0.013, 0.0073, 0.002, 0.0073, −0.013,
    /// 0.0073, 0.0073, −0.004, 0.0073, 0.001] (0.0083 − 0.001 written as 0.0073), trial Sharpes
    /// [0.05, 0.12, −0.03, 0.2, 0.08], N = 10: sr = mean/std(ddof=1) = 0.1402924607778169,
    /// g3 = skew = −0.9311466392095871, g4 = kurtosis(fisher=False) = 2.217605757213914,
    /// V = var(ddof=1), sr0 = √V·((1−γ)·ppf(1−1/N) + γ·ppf(1−1/(N·e))) = 0.13388715931949807,
    /// DSR = cdf((sr − sr0)·√13 / √(1 − g3·sr + (g4 − 1)/4·sr²)) = 0.508641296887005.
    @Test func deflatedSharpeRatioMatchesScipy() throws {
        let returns = [0.004, -0.012, 0.0083 - 0.001, 0.0073, -0.013, 0.0073, 0.002, 0.0073, -0.013, 0.0073, 0.0073, -0.004, 0.0073, 0.001]
        let dsr = try #require(DeflatedSharpeRatio.compute(returns: returns, trialSharpeRatios: [0.05, 0.12, -0.03, 0.2, 0.08], trials: 10))
        #expect(Self.close(dsr.sharpeRatio, 0.1402924607778169, 1e-10))
        #expect(Self.close(dsr.skewness, -0.9311466392095871, 1e-10))
        #expect(Self.close(dsr.kurtosis, 2.217605757213914, 1e-10))
        #expect(Self.close(dsr.expectedMaximumSharpe, 0.13388715931949807, 1e-10))
        #expect(Self.close(dsr.probability, 0.508641296887005, 1e-9))
        // One trial: nothing to deflate, SR0 = 0 (the probabilistic Sharpe ratio).
        #expect(DeflatedSharpeRatio.compute(returns: returns, trialSharpeRatios: [], trials: 1)?.expectedMaximumSharpe == 0)
    }
}
