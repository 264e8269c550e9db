import CSVCoding
import Foundation
import JSONCoding
import Kernel
import SQLKit

/// One row that did not import, and why.
public struct AssetImportError: Codable, Sendable, Hashable {
    public let line: Int
    public let tag: String
    public let field: String
    public let message: String
}

public struct AssetImportReport: Codable, Sendable {
    public let id: String
    public let fileName: String
    /// Data rows read (the header and blank lines not counted).
    public let rows: Int
    public let created: Int
    public let updated: Int
    /// Rows whose asset already had exactly these values (a re-import).
    public let unchanged: Int
    public let rejected: Int
    /// The first 1,000 problems; `errorsTruncated` says there were more (the CLI writes all of them).
    public let errors: [AssetImportError]
    public let errorsTruncated: Bool
    public let seconds: Double
}

public struct AssetImportProgress: Sendable {
    public let bytesRead: Int
    public let rows: Int
    public let rejected: Int
}

/// Imports assets from CSV in constant memory: rows are read, checked and written a batch at a
/// time. A bad row is reported with its line and reason and skipped; the good rows import. A row
/// is written whole or not at all, and a row whose tag exists updates that asset, so importing
/// the same file twice changes nothing the second time.
public struct AssetImporter: Sendable {
    let context: DomainContext
    static let batchRows = 2_000
    static let statementRows = 100
    static let keptErrors = 1_000

    public init(context: DomainContext) { self.context = context }

    public func run(
        _ reader: CSVReader, fileName: String, by invocation: Invocation, importID chosenID: String? = nil,
        progress: ((AssetImportProgress) -> Void)? = nil, errors sink: ((AssetImportError) -> Void)? = nil
    ) async throws -> AssetImportReport {
        let principal = invocation.principal
        try principal.require(ITServiceDeskPermissions.assetManage)
        let started = Date()
        guard let header = try reader.next() else {
            throw VigilError.invalid("csv", .required, "the file is empty; the first line names the columns: \(AssetColumns.all.joined(separator: ","))")
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var problems: [FieldIssue] = []
        for column in columns where !AssetColumns.all.contains(column) {
            problems.append(FieldIssue("csv", .unknownField, "unknown column '\(column)'; the columns are \(AssetColumns.all.joined(separator: ","))"))
        }
        for column in AssetColumns.required where !columns.contains(column) {
            problems.append(FieldIssue("csv", .required, "the column '\(column)' is missing"))
        }
        if Set(columns).count != columns.count { problems.append(FieldIssue("csv", .invalid, "a column is named twice")) }
        if !problems.isEmpty { throw VigilError.invalid(problems) }

        let lookups = try await AssetLookups.load(on: context.database.sql)
        // The console names the import before it starts, to show its progress while it runs.
        let importID = chosenID ?? context.ids.next().lowercased
        try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO it_asset_imports (id, file_name, actor, started_at, row_count, created, updated, unchanged, rejected, errors)
                VALUES (\(bind: importID), \(bind: fileName), \(bind: principal.actor), \(bind: tx.now.epochMicros), 0, 0, 0, 0, 0, '[]')
                """
            ).run()
        }
        var state = ImportState()
        func reject(_ line: Int, _ tag: String, _ field: String, _ message: String) {
            let error = AssetImportError(line: line, tag: tag, field: field, message: message)
            if state.errors.count < Self.keptErrors { state.errors.append(error) } else { state.truncated = true }
            sink?(error)
        }
        var batch: [(line: Int, draft: AssetDraft)] = []
        var tagsInBatch: Set<String> = []
        // One batch is written while the next is read and checked: the two halves of the work
        // run on two cores. The next write starts only after the previous one committed, so rows
        // still land in file order.
        var writing: Task<BatchOutcome, any Error>?
        func settle() async throws {
            guard let pending = writing else { return }
            writing = nil
            let outcome = try await pending.value
            state.created += outcome.created
            state.updated += outcome.updated
            state.unchanged += outcome.unchanged
            for failure in outcome.failures { state.rejectedRows += 1; reject(failure.line, failure.tag, failure.field, failure.message) }
            progress?(AssetImportProgress(bytesRead: reader.bytesRead, rows: state.rows, rejected: state.rejectedRows))
        }
        func flush() async throws {
            // Serials are checked while the previous batch is still being written: a clash with
            // a row of that batch is then caught by the database, and the batch retried row by row.
            let checked = try await claimSerials(batch)
            try await settle()
            guard !batch.isEmpty else { return }
            writing = Task { try await self.write(checked.rows, failures: checked.failures, importID: importID, invocation: invocation) }
            batch.removeAll(keepingCapacity: true)
            tagsInBatch.removeAll(keepingCapacity: true)
        }
        do {
            while let record = try reader.next() {
                if record.fields.count == 1 && record.fields[0].isEmpty { continue }
                state.rows += 1
                guard record.fields.count == columns.count else {
                    state.rejectedRows += 1
                    reject(record.line, record.fields.first ?? "", "csv", "has \(record.fields.count) fields; the header has \(columns.count)")
                    continue
                }
                var values: [String: String] = [:]
                values.reserveCapacity(columns.count)
                if let bad = record.malformedField {
                    state.rejectedRows += 1
                    let tag = columns.firstIndex(of: "tag").flatMap { $0 == bad ? nil : CSV.unneutralized(record.fields[$0]) } ?? ""
                    reject(record.line, tag, columns[bad], "is not valid UTF-8; save the file as UTF-8")
                    continue
                }
                for (index, column) in columns.enumerated() { values[column] = CSV.unneutralized(record.fields[index]) }
                switch AssetDraft.check(AssetFields(values), lookups: lookups, principal: principal) {
                case .failure(let error):
                    state.rejectedRows += 1
                    for issue in error.fields { reject(record.line, values["tag"] ?? "", issue.field, issue.message) }
                case .success(let draft):
                    // The same tag twice in a batch: write the first before the second updates it.
                    if tagsInBatch.contains(draft.tag) { try await flush() }
                    batch.append((record.line, draft))
                    tagsInBatch.insert(draft.tag)
                    if batch.count >= Self.batchRows { try await flush() }
                }
            }
            try await flush()
            try await settle()
        } catch {
            // A batch being written finishes (it is whole either way) before the error surfaces.
            _ = try? await writing?.value
            throw error
        }
        let report = AssetImportReport(
            id: importID, fileName: fileName, rows: state.rows, created: state.created, updated: state.updated, unchanged: state.unchanged,
            rejected: state.rejectedRows, errors: state.errors, errorsTruncated: state.truncated, seconds: Date().timeIntervalSince(started))
        try await context.transaction(invocation) { tx in
            try await tx.sql.raw(
                """
                UPDATE it_asset_imports SET finished_at = \(bind: tx.now.epochMicros), row_count = \(bind: report.rows), created = \(bind: report.created),
                    updated = \(bind: report.updated), unchanged = \(bind: report.unchanged), rejected = \(bind: report.rejected),
                    errors = \(bind: String(decoding: try VigilJSON.encoder.encode(report.errors), as: UTF8.self))
                WHERE id = \(bind: importID)
                """
            ).run()
            try await tx.audit(
                AuditEntry(
                    action: "it-service-desk.asset.import", entity: EntityRef("it-service-desk.asset-import", importID), region: nil,
                    changes: [
                        FieldChange(field: "file", before: nil, after: .string(fileName)),
                        FieldChange(field: "rows", before: nil, after: .integer(Int64(report.rows))),
                        FieldChange(field: "created", before: nil, after: .integer(Int64(report.created))),
                        FieldChange(field: "updated", before: nil, after: .integer(Int64(report.updated))),
                        FieldChange(field: "rejected", before: nil, after: .integer(Int64(report.rejected))),
                    ], isCreation: true))
        }
        return report
    }

    private struct ImportState {
        var rows = 0, created = 0, updated = 0, unchanged = 0, rejectedRows = 0
        var errors: [AssetImportError] = []
        var truncated = false
    }

    struct BatchOutcome {
        var created = 0, updated = 0, unchanged = 0
        var failures: [(line: Int, tag: String, field: String, message: String)] = []
    }

    /// Sets aside the rows whose serial belongs to another tag (in the database, or earlier in
    /// the batch).
    private func claimSerials(_ batch: [(line: Int, draft: AssetDraft)]) async throws -> (
        rows: [(line: Int, draft: AssetDraft)], failures: [(line: Int, tag: String, field: String, message: String)]
    ) {
        var failures: [(line: Int, tag: String, field: String, message: String)] = []
        let serials = batch.compactMap(\.draft.serial)
        guard !serials.isEmpty else { return (batch, []) }
        var owners: [String: String] = [:]
        for row in try await context.database.sql.select().columns("serial", "tag").from("it_assets").where("serial", .in, serials).all() {
            owners[try row.decode(column: "serial", as: String.self)] = try row.decode(column: "tag", as: String.self)
        }
        var seen: [String: String] = [:]
        let rows = batch.filter { row in
            guard let serial = row.draft.serial else { return true }
            if let owner = owners[serial], owner != row.draft.tag {
                failures.append((row.line, row.draft.tag, "serial", "serial \(serial) belongs to asset \(owner)"))
                return false
            }
            if let other = seen[serial], other != row.draft.tag {
                failures.append((row.line, row.draft.tag, "serial", "serial \(serial) is also given to \(other) in this file"))
                return false
            }
            seen[serial] = row.draft.tag
            return true
        }
        return (rows, failures)
    }

    /// Writes a batch in one transaction; if the database refuses it, each row is tried alone so
    /// that one bad row does not cost the others.
    private func write(
        _ rows: [(line: Int, draft: AssetDraft)], failures: [(line: Int, tag: String, field: String, message: String)], importID: String,
        invocation: Invocation
    ) async throws -> BatchOutcome {
        var outcome = BatchOutcome()
        outcome.failures = failures
        let drafts = rows.map(\.draft)
        do {
            let counts = try await context.transaction(invocation) { tx in try await Self.upsert(drafts, importID: importID, ids: context.ids, in: tx) }
            outcome.created += counts.created
            outcome.updated += counts.updated
            outcome.unchanged += counts.unchanged
        } catch {
            for row in rows {
                do {
                    let counts = try await context.transaction(invocation) { tx in
                        try await Self.upsert([row.draft], importID: importID, ids: context.ids, in: tx)
                    }
                    outcome.created += counts.created
                    outcome.updated += counts.updated
                    outcome.unchanged += counts.unchanged
                } catch {
                    outcome.failures.append((row.line, row.draft.tag, "row", "the database refused it: \(error)"))
                }
            }
        }
        return outcome
    }

    static let insertColumns = """
        id, tag, serial, model_id, category, status, site_id, cost_center_id, assigned_to, location, supplier, purchase_order, invoice, purchase_date, cost, \
        currency, salvage, life_months, depreciation, warranty_end, last_audit, next_audit_due, disposal_method, disposal_value, retired_on, import_id, \
        created_at, updated_at, version
        """
    /// Columns an import sets; an existing asset is updated only when one of them differs.
    static let updatedColumns = [
        "serial", "model_id", "category", "status", "site_id", "cost_center_id", "assigned_to", "location", "supplier", "purchase_order",
        "invoice", "purchase_date", "cost", "currency", "salvage", "life_months", "depreciation", "warranty_end", "last_audit",
        "next_audit_due", "disposal_method", "disposal_value", "retired_on",
    ]
    static let conflictClause: String = {
        let sets = (updatedColumns + ["import_id", "updated_at"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let differs = updatedColumns.map { "it_assets.\($0) IS DISTINCT FROM excluded.\($0)" }.joined(separator: " OR ")
        return " ON CONFLICT (tag) DO UPDATE SET \(sets), version = it_assets.version + 1 WHERE \(differs) RETURNING version"
    }()

    /// The upsert of `rows` rows in one statement. Rows go many to a statement: SQLite opens and
    /// clears a statement journal for each statement of a transaction, which costs more than the
    /// row itself when rows go one by one.
    static func multiRowUpsert(_ rows: Int) -> String {
        let group = "(" + Array(repeating: "?", count: 29).joined(separator: ", ") + ")"
        return "INSERT INTO it_assets (\(insertColumns)) VALUES " + Array(repeating: group, count: rows).joined(separator: ", ") + conflictClause
    }

    /// Upserts; the returned versions tell new rows (1) from updated ones. On an engine that runs
    /// prepared statements with plain values it does that; elsewhere SQLKit statements.
    static func upsert(_ drafts: [AssetDraft], importID: String, ids: any IDGenerator, in tx: Transaction) async throws -> (
        created: Int, updated: Int, unchanged: Int
    ) {
        var created = 0, updated = 0
        let now = tx.now.epochMicros
        if let batch = tx.sql as? any BatchStatementDatabase {
            var start = 0
            while start < drafts.count {
                let slice = drafts[start..<min(drafts.count, start + statementRows)]
                var values: [SQLValue] = []
                values.reserveCapacity(slice.count * 29)
                for draft in slice {
                    values += [
                        .text(ids.next().lowercased), .text(draft.tag), SQLValue(draft.serial), .text(draft.modelID), .text(draft.category),
                        .text(draft.status.rawValue), .text(draft.siteID), SQLValue(draft.costCenterID), SQLValue(draft.assignedTo), SQLValue(draft.location),
                        SQLValue(draft.supplier), SQLValue(draft.purchaseOrder), SQLValue(draft.invoice), .text(draft.purchaseDate), .integer(draft.cost),
                        .text(draft.currency), .integer(draft.salvage), SQLValue(draft.lifeMonths), .text(draft.depreciation), SQLValue(draft.warrantyEnd),
                        SQLValue(draft.lastAudit), SQLValue(draft.nextAuditDue), SQLValue(draft.disposalMethod), SQLValue(draft.disposalValue),
                        SQLValue(draft.retiredOn), .text(importID), .integer(now), .integer(now), .integer(1),
                    ]
                }
                try batch.executeBatch(multiRowUpsert(slice.count), rows: [values]) { _, row in
                    if try row.decode(column: "version", as: Int.self) == 1 { created += 1 } else { updated += 1 }
                }
                start += statementRows
            }
            return (created, updated, drafts.count - created - updated)
        }
        var start = 0
        while start < drafts.count {
            let slice = drafts[start..<min(drafts.count, start + statementRows)]
            var query: SQLQueryString = "INSERT INTO it_assets (\(unsafeRaw: insertColumns)) VALUES "
            for (offset, draft) in slice.enumerated() {
                if offset > 0 { query += ", " }
                let values: [any Encodable & Sendable] = [
                    ids.next().lowercased, draft.tag, draft.serial, draft.modelID, draft.category, draft.status.rawValue, draft.siteID, draft.costCenterID,
                    draft.assignedTo, draft.location, draft.supplier, draft.purchaseOrder, draft.invoice, draft.purchaseDate, draft.cost, draft.currency,
                    draft.salvage, draft.lifeMonths, draft.depreciation, draft.warrantyEnd, draft.lastAudit, draft.nextAuditDue, draft.disposalMethod,
                    draft.disposalValue, draft.retiredOn, importID, now, now, 1,
                ]
                query += "(\(binds: values))"
            }
            query += SQLQueryString(stringLiteral: conflictClause)
            for row in try await tx.sql.raw(query).all() {
                if try row.decode(column: "version", as: Int.self) == 1 { created += 1 } else { updated += 1 }
            }
            start += statementRows
        }
        return (created, updated, drafts.count - created - updated)
    }
}
