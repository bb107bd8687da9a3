import CandleData
import Foundation
import TradingModel
import ZipArchive

/// Writes one symbol's dataset from its pieces (in time order) into the file `qt` reads, then
/// validates it with `CandleReader` / `FundingRateReader` before giving it its final name.
struct DatasetFileWriter {
    enum Input {
        case zip(String)
        case rows([ArchiveRowConverter.Row])
    }

    let symbol: Symbol
    let dataset: ArchiveDataset
    let outputDirectory: String
    /// Rows kept: time in `[fromMilliseconds, toMilliseconds)`; klines also closed before `now`.
    let fromMilliseconds: Int64
    let toMilliseconds: Int64
    let now: Int64

    func write(_ inputs: [Input]) throws(HistoricalDataError) -> DatasetOutcome {
        var outcome = DatasetOutcome(symbol: symbol, dataset: dataset, outputPath: nil, rows: 0, firstTime: nil, lastTime: nil,
                                     gaps: [], missingPeriods: [], archiveFiles: 0, restRanges: 0)
        let directory = dataset.isMarkPrice ? outputDirectory + "/mark-price" : outputDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw HistoricalDataError(.io, source: directory, detail: "cannot create: \(error.localizedDescription)")
        }
        let temporary = directory + "/.download-\(symbol.name)-\(kindLabel).csv.gz"
        let writer = try GzipLineWriter(path: temporary)
        try writer.write(dataset == .fundingRate ? FundingRateReader.header : CandleReader.header)
        var last: Int64?
        var first: Int64?
        var count = 0
        for input in inputs {
            let rows: [ArchiveRowConverter.Row]
            switch input {
            case .rows(let given): rows = given
            case .zip(let path): rows = try Self.rows(ofZip: path, dataset: dataset)
            }
            for row in rows where row.time >= fromMilliseconds && row.time < toMilliseconds {
                if dataset.interval != nil && row.closeTime >= now { continue }
                if let last, row.time <= last { continue }   // overlap between pieces
                try writer.write(row.line)
                if first == nil { first = row.time }
                last = row.time
                count += 1
            }
        }
        try writer.close()
        guard let first, let last else {
            try? FileManager.default.removeItem(atPath: temporary)
            return outcome
        }
        let name = "\(symbol.name)-\(kindLabel)-\(CalendarDay(containing: Timestamp(milliseconds: first)))_\(CalendarDay(containing: Timestamp(milliseconds: last))).csv.gz"
        let finalPath = directory + "/" + name
        do {
            if let interval = dataset.interval {
                outcome.gaps = try CandleReader.validate(path: temporary, interval: interval).gaps
            } else {
                _ = try FundingRateReader.validate(path: temporary)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw HistoricalDataError(.invalidOutput, source: finalPath, detail: "\(error)")
        }
        do {
            if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
            try FileManager.default.moveItem(atPath: temporary, toPath: finalPath)
        } catch {
            throw HistoricalDataError(.io, source: finalPath, detail: "cannot move into place: \(error.localizedDescription)")
        }
        outcome.outputPath = finalPath
        outcome.rows = count
        outcome.firstTime = Timestamp(milliseconds: first)
        outcome.lastTime = Timestamp(milliseconds: last)
        return outcome
    }

    private var kindLabel: String { dataset.interval?.label ?? "funding" }

    /// The one CSV inside an archive zip, converted.
    static func rows(ofZip path: String, dataset: ArchiveDataset) throws(HistoricalDataError) -> [ArchiveRowConverter.Row] {
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw HistoricalDataError(.io, source: path, detail: error.localizedDescription)
        }
        do {
            let archive = try ZipArchiveReader(bytes: bytes)
            let csvEntries = archive.entries.filter { $0.name.hasSuffix(".csv") }
            guard csvEntries.count == 1, let entry = csvEntries.first else {
                throw HistoricalDataError(.badArchive, source: path, detail: "expected one .csv entry, found \(archive.entries.map(\.name))")
            }
            let csv = try archive.contents(of: entry)
            let source = "\(path):\(entry.name)"
            return dataset == .fundingRate ? try ArchiveRowConverter.funding(csv: csv, source: source)
                : try ArchiveRowConverter.klines(csv: csv, source: source)
        } catch let error as HistoricalDataError {
            throw error
        } catch {
            throw HistoricalDataError(.badArchive, source: path, detail: "\(error)")
        }
    }
}

extension ArchiveDataset {
    var isMarkPrice: Bool { if case .markPriceKlines = self { true } else { false } }
}
