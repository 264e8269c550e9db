import Foundation
import JSONCoding
import Kernel
import SQLKit
import VigilServer

/// A person's own console settings: language, time zone, and whether single-key shortcuts are
/// on (WCAG 2.1.4: they can be turned off).
struct ConsolePreferences: Sendable, Hashable {
    var language: String?
    var timeZone: String?
    var keyboardShortcuts: Bool

    static func read(_ userID: UUID?, runtime: VigilRuntime) async throws -> ConsolePreferences? {
        guard let userID else { return nil }
        guard
            let row = try await runtime.database.sql.raw(
                "SELECT language, time_zone, keyboard_shortcuts FROM vigil_user_preferences WHERE user_id = \(bind: userID.lowercased)"
            ).first()
        else { return nil }
        return ConsolePreferences(
            language: try row.decode(column: "language", as: String?.self), timeZone: try row.decode(column: "time_zone", as: String?.self),
            keyboardShortcuts: try row.decode(column: "keyboard_shortcuts", as: Bool.self))
    }

    /// Saves them, audited as a change to the user.
    func save(for invocation: Invocation, runtime: VigilRuntime) async throws {
        guard let userID = invocation.principal.userID?.lowercased else { throw VigilError(.forbidden, "only a person has preferences") }
        if let language, !ConsoleLocale.languages.contains(language) {
            throw VigilError.invalid("language", .notAllowed, "must be one of \(ConsoleLocale.languages.joined(separator: ", "))")
        }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            throw VigilError.invalid("timeZone", .notAllowed, "is not a time zone name like America/Sao_Paulo")
        }
        let preferences = self
        try await runtime.database.transaction(domain: .platform, invocation: invocation, now: runtime.clock.now()) { tx in
            try await tx.sql.raw("DELETE FROM vigil_user_preferences WHERE user_id = \(bind: userID)").run()
            try await tx.sql.raw(
                """
                INSERT INTO vigil_user_preferences (user_id, language, time_zone, keyboard_shortcuts, updated_at)
                VALUES (\(bind: userID), \(bind: preferences.language), \(bind: preferences.timeZone), \(bind: preferences.keyboardShortcuts), \(bind: tx.now.epochMicros))
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "vigil.user.preferences", entity: EntityRef("vigil.user", userID), region: nil,
                    changes: [
                        FieldChange(field: "language", before: nil, after: preferences.language.map(JSONValue.string) ?? .null),
                        FieldChange(field: "timeZone", before: nil, after: preferences.timeZone.map(JSONValue.string) ?? .null),
                        FieldChange(field: "keyboardShortcuts", before: nil, after: .bool(preferences.keyboardShortcuts)),
                    ]))
        }
    }
}
