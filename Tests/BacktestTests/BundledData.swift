import CandleData
import Foundation
import TradingModel

/// Paths of the real data bundled in `data/` (committed by the data module).
enum BundledData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let linkFebruary2026 = root.appendingPathComponent("data/binance-usdm/LINKUSDT-1m-2026-02-01_2026-02-28.csv.gz").path

    /// The LINKUSDT February 2026 one-minute candles (read once per test process).
    static let linkCandles: [Candle] = {
        do { return try CandleReader.readAll(path: linkFebruary2026).candles } catch { fatalError("bundled data unreadable: \(error)") }
    }()
}
