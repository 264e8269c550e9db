import Foundation
import SQLKit

/// SQLite's query-planner statistics (sqlite_stat1), kept current. SQLite plans from them and
/// guesses without them; a desk that grows from an empty file to millions of cases outgrows any
/// one set. They are taken when the database opens and every hour after, as SQLite advises for
/// long-lived connections, from a sample of each index (`analysis_limit`), so a pass over a
/// database of several gigabytes takes milliseconds.
enum PlannerStatistics {
    /// Rows sampled per index: SQLite's suggested range is 100–1000.
    static let sampleRows = 400
    static let refresh = "ANALYZE"
    static let interval: Duration = .seconds(3600)

    /// The hourly refresh, through the single writer (ANALYZE writes its statistics table).
    static func keepCurrent(_ writes: GroupCommitWriter) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                // A failed pass (the database busy, closing) leaves the previous statistics in use.
                _ = try? await writes.write { session in try await session.raw("ANALYZE").run() }
            }
        }
    }
}
