import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A thread of its own, as a task executor: work given to it (`Task(executorPreference:)`,
/// `withTaskExecutorPreference`) blocks this thread instead of one of Swift's cooperative threads,
/// which serve every request and on two cores number two.
///
/// The SQLite writer's turns run on one: every write statement, and the wait of `busy_timeout`
/// when another process (the CLI beside the server) holds the write lock. Long work runs on
/// another, at a lower priority (`niceness`): a report over a year scans and folds for seconds,
/// and the cases people are reading meanwhile must not wait behind it.
public final class DedicatedThread: TaskExecutor, @unchecked Sendable {
    // @unchecked: the queue is guarded by `lock`, the thread only touches its own locals.
    private let lock = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false
    private var thread: Thread?

    /// `niceness` 0 runs at the process's priority; higher yields the processor to other threads
    /// (Linux's nice values, per thread).
    public init(name: String, niceness: Int32 = 0) {
        let thread = Thread { [unowned self] in
            if niceness != 0 { Self.lowerPriority(by: niceness) }
            self.loop()
        }
        thread.name = name
        self.thread = thread
        thread.start()
    }

    private static func lowerPriority(by niceness: Int32) {
        #if canImport(Glibc)
            // On Linux the nice value is the thread's own, and `who` 0 is the calling thread.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        lock.lock()
        jobs.append(unowned)
        lock.signal()
        lock.unlock()
    }

    /// Ends the thread once the jobs queued so far have run.
    public func stop() {
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
