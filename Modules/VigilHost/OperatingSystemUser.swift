import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Who runs the CLI, for the audit log's `system:cli(<user>)`: $USER when the shell sets it, else
/// the account of the effective user id (cron, systemd and `docker exec` often leave $USER unset),
/// else the numeric id, never "unknown".
enum OperatingSystemUser {
    static var name: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(uid)"
    }
}
