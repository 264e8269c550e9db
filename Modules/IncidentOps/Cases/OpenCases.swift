import SQLKit

/// The cases still being worked, as one condition shared by every query of the open desk.
///
/// The statuses are written into the SQL as literals, not binds: the partial index of open cases
/// (`incident_cases_open_load`, migration 0014) is used only by a query whose condition implies
/// the index's, and SQLite proves that only for the same expression with the same constants.
enum OpenCases {
    static let statuses: [CaseStatus] = [.new, .triaged, .assigned, .inProgress, .waiting, .escalated]

    /// `status IN ('new', …)`, on the cases table under `alias` (e.g. "c") or unqualified.
    static func condition(alias: String? = nil) -> SQLQueryString {
        let column = alias.map { "\($0).status" } ?? "status"
        // The statuses are this enum's own constants, never input: safe to write out.
        return "\(unsafeRaw: column) IN (\(unsafeRaw: statuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
    }
}
