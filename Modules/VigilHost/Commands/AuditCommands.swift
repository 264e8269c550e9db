import ArgumentParser
import Calendars
import Foundation
import Kernel
import VigilServer
import VigilStorage

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and check the audit log.",
        subcommands: [Show.self, Verify.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the timeline of one entity (type/id, e.g. incident-ops.case/0192…), or the latest records."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The entity as type/id; omit for the latest records of all entities.") var entity: String?
        @Option(help: "How many records at most.") var limit: Int = 100

        func run() async throws {
            var reference: EntityRef?
            if let entity {
                guard let parsed = EntityRef(parsing: entity) else { throw CommandFailure.usage("\(entity): give the entity as type/id") }
                reference = parsed
            }
            guard (1...10_000).contains(limit) else { throw CommandFailure.usage("--limit must be 1 to 10000") }
            try await PlatformCommand.run(global, schema: .checkOnly) { runtime, invocation, output in
                let records: [AuditView]
                if let reference {
                    records = try await runtime.auditReader.timeline(of: reference, for: invocation.principal, limit: limit)
                    // Nothing found and nothing the caller may see look alike, on purpose.
                    if records.isEmpty { throw VigilError.notFound("audit records of \(reference)") }
                } else {
                    records = try await runtime.auditReader.recent(for: invocation.principal, limit: limit)
                }
                try output.emit(records) {
                    Table(
                        ["#", "at", "actor", "action", "entity", "changes", "request", "reason"],
                        records.map { record in
                            [
                                String(record.sequence), ISO8601.format(record.at), record.actor, record.action, record.entity,
                                record.redacted
                                    ? record.changes.map(\.field).joined(separator: ", ") + " (values withheld)"
                                    : record.changes.map { "\($0.field): \($0.before?.canonicalText ?? "∅") → \($0.after?.canonicalText ?? "∅")" }.joined(
                                        separator: "; "),
                                record.requestId, record.reason ?? "",
                            ]
                        })
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the hash chain of the whole audit log; exits 65 and names the first broken link if it does not hold."
        )
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await PlatformCommand.run(global, schema: .checkOnly) { runtime, invocation, output in
                try invocation.principal.require(PlatformPermissions.auditRead)
                let result = try await runtime.audit.verify()
                try output.emit(result) {
                    if let broken = result.firstBroken {
                        return Table.record([
                            ("result", "BROKEN"), ("first broken record", "#\(broken.sequence) (\(broken.id))"), ("entity", broken.entity),
                            ("problem", broken.problem), ("records checked", String(result.recordsChecked)),
                        ])
                    }
                    return Table.record([
                        ("result", "intact"), ("records checked", String(result.recordsChecked)), ("entities", String(result.entitiesChecked)),
                    ])
                }
                if let broken = result.firstBroken {
                    throw CommandFailure.data("the audit log is broken at record #\(broken.sequence) (\(broken.entity)): \(broken.problem)")
                }
            }
        }
    }
}
