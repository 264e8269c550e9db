import Foundation
import Synchronization

/// Checkpoints the SQLite write-ahead log from its own connection on its own thread, so that the
/// writer's commits never pay for it. SQLite's automatic checkpoint runs inside the COMMIT that
/// crosses the threshold, on the single writer, stalling every transaction queued behind it;
/// a passive checkpoint here copies committed pages back into the database file while the writer
/// goes on appending. The writer keeps a high automatic threshold only as a backstop for
/// processes that run without this thread (the CLI).
final class WALCheckpointer: Sendable {
    static let backstopPages = 10_000

    private let connection: DirectSQLiteConnection
    private let stopped = Mutex(false)
    private let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let interval: TimeInterval

    init(connection: DirectSQLiteConnection, interval: TimeInterval = 0.1) {
        self.connection = connection
        self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            while !stopped.withLock({ $0 }) {
                Thread.sleep(forTimeInterval: interval)
                // A busy or locked database just means the next round tries again.
                try? connection.execute("PRAGMA wal_checkpoint(PASSIVE)", []) { _ in }
            }
            connection.close()
            finished.withLock {
                $0?.resume(); $0 = nil
            }
        }
        thread.name = "vigil-wal-checkpoint"
        thread.start()
    }

    /// Stops the thread after its current round and closes its connection.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            finished.withLock { $0 = continuation }
            stopped.withLock { $0 = true }
        }
    }
}
