import Foundation
import JSONCoding
import Kernel
import SQLKit

/// Reads tickets with their clocks.
enum TicketStore {
    static func load(_ id: String, on sql: any SQLDatabase) async throws -> Ticket? {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Ticket.columns) FROM it_tickets WHERE id = \(bind: id)").first() else { return nil }
        var ticket = try Ticket(row: row)
        ticket.clocks = try await TicketClockStore.load(id, on: sql)
        return ticket
    }

    /// By id or by reference (`IT-2026-000123`).
    static func find(_ key: String, on sql: any SQLDatabase) async throws -> Ticket? {
        if key.uppercased().hasPrefix("IT-") {
            guard let row = try await sql.raw("SELECT id FROM it_tickets WHERE reference = \(bind: key.uppercased())").first() else { return nil }
            return try await load(try row.decode(column: "id", as: String.self), on: sql)
        }
        return try await load(key.lowercased(), on: sql)
    }
}
