import Foundation
import Kernel
import SQLKit

/// The platform's own periodic work: idempotency records are kept for a day (clients retry
/// within minutes), expired sessions for a week.
enum Housekeeping {
    static func job(_ runtime: VigilRuntime) -> BackgroundJob {
        BackgroundJob(name: "housekeeping", every: .seconds(3600)) {
            let invocation = Invocation(principal: runtime.systemPrincipal("housekeeping"), channel: .job, requestID: "housekeeping")
            try await runtime.database.transaction(domain: .platform, invocation: invocation, now: runtime.clock.now()) { tx in
                let dayAgo = tx.now.addingTimeInterval(-86_400).epochMicros
                let weekAgo = tx.now.addingTimeInterval(-7 * 86_400).epochMicros
                try await tx.sql.raw("DELETE FROM vigil_request_keys WHERE created_at < \(bind: dayAgo)").run()
                try await tx.sql.raw("DELETE FROM vigil_sessions WHERE expires_at < \(bind: weekAgo)").run()
                try await tx.sql.raw(
                    "DELETE FROM vigil_login_throttle WHERE window_start < \(bind: dayAgo) AND (locked_until IS NULL OR locked_until < \(bind: tx.now.epochMicros))"
                ).run()
            }
        }
    }
}
