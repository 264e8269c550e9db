import ArgumentParser
import Calendars
import Foundation

/// Option values of the kinds every domain's commands take, parsed once with the message the API
/// gives for the same mistake: `@Option(transform: ArgumentValue.region) var region: RegionCode?`.
/// A value that is not one fails the command line (exit 64) with the option's name and the rule.
public enum ArgumentValue {
    public static func region(_ text: String) throws -> RegionCode {
        guard let code = RegionCode(text) else { throw ValidationError("'\(text)' \(RegionCode.rule)") }
        return code
    }

    /// A calendar day as requests take it (`LocalDate.inputYears`).
    public static func date(_ text: String) throws -> LocalDate {
        guard let date = LocalDate(input: text) else { throw ValidationError("'\(text)' \(LocalDate.inputRule)") }
        return date
    }

    /// An RFC 3339 instant such as 2026-01-15T12:00:00Z.
    public static func instant(_ text: String) throws -> Date {
        guard let instant = ISO8601.parse(text) else { throw ValidationError("'\(text)' is not an ISO 8601 instant like 2026-01-15T12:00:00Z") }
        return instant
    }
}
