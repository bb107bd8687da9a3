import Foundation
@testable import Research
import Testing

@Suite struct SweepReportTests {
    private func report(values: [Int: Double]) throws -> (SweepReport, SweepFixtures) {
        let fixtures = try SweepFixtures()
        let manifest = try fixtures.manifest(fast: [5, 8], slow: [26, 50])
        let results = SweepPlan.units(of: manifest).enumerated().map { index, unit in
            guard let value = values[index] else { return SweepUnitResult(unit: unit, outcome: .failed(reason: "exit 3: boom")) }
            return SweepUnitResult(unit: unit, outcome: .succeeded(json: "{\"net_pnl\":\(value),\"trades\":10}"))
        }
        return (SweepReport(manifest: manifest, results: results), fixtures)
    }

    @Test func rankingHeatmapAndBestCell() throws {
        // LINKUSDT units u001…u004 = (5,26) (5,50) (8,26) (8,50); FILUSDT u005…u008.
        let (report, fixtures) = try report(values: [0: -10, 1: 40, 2: 5, 3: 12, 4: 1, 5: 2, 6: 3])
        defer { fixtures.cleanUp() }
        #expect(report.ranked.map(\.unit.id) == ["u002", "u004", "u003", "u007", "u006", "u005", "u001"])
        let link = try #require(report.heatmaps.first)
        #expect(link.xValues == ["5", "8"] && link.yValues == ["26", "50"])
        #expect(link.cells == [[-10, 5], [40, 12]])
        #expect(link.best?.x == 0 && link.best?.y == 1)
        let fil = try #require(report.heatmaps.last)
        #expect(fil.cells[1][1] == nil, "the failed unit leaves its cell empty")
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("40.000*"))
        #expect(text.contains("failed u008 (FILUSDT): exit 3: boom"))
        #expect(text.contains("4 settings were tried on LINKUSDT"))
        #expect(text.contains("multiple testing"))
        #expect(report.html.contains("<b>*</b>"))
        #expect(report.csv.split(separator: "\n").count == 9)
    }

    /// The caveat's noise figure: mean + sd × E[max of n normals].
    @Test func caveatStatesWhereTheBestOfNoiseWouldLand() throws {
        let (report, fixtures) = try report(values: [0: 1, 1: 2, 2: 3, 3: 4])
        defer { fixtures.cleanUp() }
        // mean 2.5, sd (sample) 1.2910; E[max of 4] (Blom) = Φ⁻¹(3.625/4.25) = Φ⁻¹(0.85294) = 1.0491
        // (the exact value is 1.0294) → 2.5 + 1.2910 × 1.0491 = 3.854.
        #expect(report.caveat(dataset: "LINKUSDT").contains("expected near 3.854"))
        #expect(abs(SweepReport.inverseNormal(0.975) - 1.959964) < 1e-5)
        #expect(abs(SweepReport.expectedMaximumOfNormals(4) - 1.0491) < 1e-3)
    }
}
