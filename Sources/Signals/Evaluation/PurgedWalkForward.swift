import TradingModel

/// The time span a sample's label depends on: from its decision time to its label end.
public struct LabelSpan: Sendable, Hashable {
    public var start: Timestamp
    public var end: Timestamp
    public init(start: Timestamp, end: Timestamp) {
        self.start = start
        self.end = end
    }
}

/// One walk-forward fold, as indices into the time-sorted samples.
public struct WalkForwardFold: Sendable, Hashable {
    public var index: Int
    /// Samples the models fit on.
    public var trainingIndices: [Int]
    /// Samples the calibration is fitted on (the model never trains on them).
    public var calibrationIndices: [Int]
    public var testIndices: Range<Int>
    /// Candidates removed by purging and embargo (test window and calibration boundaries).
    public var purgedCount: Int
}

/// Purged, embargoed walk-forward splitting (López de Prado, AFML ch. 7).
public enum PurgedWalkForward {
    /// The candidates whose label spans neither overlap `[window.start, window.end]` nor start in
    /// the embargo `(window.end, window.end + embargoMs]`.
    public static func purge(candidates: [Int], spans: [LabelSpan], window: LabelSpan, embargoMs: Int64) -> [Int] {
        candidates.filter { index in
            let span = spans[index]
            let overlaps = span.start <= window.end && span.end >= window.start
            let embargoed = span.start > window.end && span.start.milliseconds <= window.end.milliseconds + embargoMs
            return !overlaps && !embargoed
        }
    }

    /// The span covered by the labels of `indices`: first decision to last label end.
    public static func window(of indices: some Collection<Int>, spans: [LabelSpan]) -> LabelSpan? {
        guard let first = indices.min() else { return nil }
        let start = indices.map { spans[$0].start }.min() ?? spans[first].start
        let end = indices.map { spans[$0].end }.max() ?? spans[first].end
        return LabelSpan(start: start, end: end)
    }

    /// `window` widened by the embargo before it: purging against it keeps every label that
    /// ends within `embargoMs` before the window out of training — the gap an expanding
    /// walk-forward needs (no training data follows a test window, so an embargo after it
    /// alone would change nothing).
    public static func gapBefore(_ window: LabelSpan, embargoMs: Int64) -> LabelSpan {
        LabelSpan(start: Timestamp(milliseconds: window.start.milliseconds - embargoMs), end: window.end)
    }

    /// The folds for time-sorted samples with these label spans.
    public static func folds(spans: [LabelSpan], settings: WalkForwardSettings) throws(SignalsError) -> [WalkForwardFold] {
        try settings.validate()
        let count = spans.count
        let initial = Int(Double(count) * settings.initialTrainingFraction)
        let testSize = (count - initial) / settings.folds
        guard initial >= 50, testSize >= 20 else {
            throw .insufficientData("\(count) samples are too few for \(settings.folds) walk-forward folds")
        }
        let embargoMs = Int64(settings.embargoMinutes) * 60_000
        return try (0..<settings.folds).map { (foldIndex: Int) throws(SignalsError) -> WalkForwardFold in
            let testStart = initial + foldIndex * testSize
            let testEnd = foldIndex == settings.folds - 1 ? count : testStart + testSize
            let testWindow = window(of: testStart..<testEnd, spans: spans)!
            let pool = purge(candidates: Array(0..<testStart), spans: spans, window: gapBefore(testWindow, embargoMs: embargoMs),
                             embargoMs: embargoMs)
            let split = try splitForCalibration(pool: pool, spans: spans, fraction: settings.calibrationFraction, embargoMs: embargoMs)
            return WalkForwardFold(index: foldIndex, trainingIndices: split.training, calibrationIndices: split.calibration,
                                   testIndices: testStart..<testEnd,
                                   purgedCount: testStart - split.training.count - split.calibration.count)
        }
    }

    /// Splits a training pool into a fitting part and a later calibration part, purging the
    /// fitting part against the calibration window with the embargo as a gap before it.
    public static func splitForCalibration(pool: [Int], spans: [LabelSpan], fraction: Double,
                                           embargoMs: Int64) throws(SignalsError) -> (training: [Int], calibration: [Int]) {
        let calibrationCount = Int(Double(pool.count) * fraction)
        guard calibrationCount >= 20, pool.count - calibrationCount >= 50 else {
            throw .insufficientData("training pool of \(pool.count) samples is too small to split off a calibration set")
        }
        let calibration = Array(pool.suffix(calibrationCount))
        let calibrationWindow = window(of: calibration, spans: spans)!
        let training = purge(candidates: Array(pool.dropLast(calibrationCount)), spans: spans,
                             window: gapBefore(calibrationWindow, embargoMs: embargoMs), embargoMs: embargoMs)
        return (training, calibration)
    }
}
