import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// An advisory lock on `<database>.lock` that a running server holds, so that a restore can tell
/// the database is in use. The kernel drops it if the server dies.
public final class ServerLock: Sendable {
    private let descriptor: Int32

    public init(databasePath: String) throws {
        descriptor = open(databasePath + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: databasePath + ".lock"])
        }
    }

    public func tryAcquire() -> Bool { flock(descriptor, LOCK_EX | LOCK_NB) == 0 }

    public func release() { _ = flock(descriptor, LOCK_UN) }

    deinit { close(descriptor) }
}
