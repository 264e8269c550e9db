import Foundation
import Synchronization

/// A thread of its own for the SQLite writer's turns, as a task executor: the group commit's
/// drain runs here (`Task(executorPreference:)`), so every write statement, and the wait of
/// `busy_timeout` when another process (the CLI beside the server) holds the write lock, blocks
/// this thread instead of one of Swift's cooperative threads, which serve every request and on
/// two cores number two.
final class WriterThread: TaskExecutor, @unchecked Sendable {
    // @unchecked: the queue is guarded by `lock`, the thread only touches its own locals.
    private let lock = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var thread: Thread?

    init(name: String) {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        self.thread = thread
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        lock.lock()
        jobs.append(unowned)
        lock.signal()
        lock.unlock()
    }

    /// Ends the thread once the jobs queued so far have run.
    func stop() {
        lock.lock()
        stopping = true
        lock.signal()
        lock.unlock()
    }

    private func loop() {
        while true {
            lock.lock()
            while jobs.isEmpty && !stopping { lock.wait() }
            if jobs.isEmpty && stopping {
                lock.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            lock.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
