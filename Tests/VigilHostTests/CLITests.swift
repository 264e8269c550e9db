import Foundation
import JSONCoding
import Kernel
import SQLKit
import Testing
import VigilStorage
import VigilTesting

/// The `vigil` program as an admin uses it, run as a separate process on a temporary database.
@Suite(.serialized) struct CLITests {
    let folder: URL
    let database: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        database = folder.appendingPathComponent("vigil.sqlite").path
    }

    func vigil(_ arguments: String..., stdin: String? = nil, environment: [String: String] = [:]) throws -> VigilBinary.Result {
        try VigilBinary.run(arguments + ["--database", database], environment: environment, stdin: stdin, in: folder)
    }

    func json(_ result: VigilBinary.Result) throws -> JSONValue {
        try VigilJSON.decoder.decode(JSONValue.self, from: Data(result.stdout.utf8))
    }

    @Test func helpListsPlatformCommandsAndEveryDomainGroup() throws {
        let help = try VigilBinary.run(["--help"])
        #expect(help.status == 0)
        for command in [
            "serve", "migrate", "domains", "user", "token", "backup", "restore", "audit", "config", "incident-ops", "rider-compliance", "training-ops",
            "it-service-desk", "safety-liaison",
        ] {
            #expect(help.stdout.contains(command), "\(command) missing from --help")
        }
        let domainHelp = try VigilBinary.run(["incident-ops", "case", "open", "--help"])
        #expect(domainHelp.status == 0 && domainHelp.stdout.contains("--business-line"))
    }

    /// Roles come from the registry: each with the domain that declared it and what it may do;
    /// a grant to every role reaches the desk's analyst but not the read-only auditor.
    @Test func rolesListsEveryRoleOfTheBuildWithItsPermissions() throws {
        let result = try VigilBinary.run(["roles", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        guard case .array(let rows) = try json(result) else { Issue.record("not an array: \(result.stdout)"); return }
        var declaredBy: [String: String] = [:]
        var permissions: [String: [String]] = [:]
        for case .object(let row) in rows {
            guard case .string(let role)? = row["role"], case .string(let domain)? = row["declaredBy"], case .array(let granted)? = row["permissions"] else {
                continue
            }
            declaredBy[role] = domain
            permissions[role] = granted.compactMap { if case .string(let name) = $0 { name } else { nil } }
        }
        #expect(
            declaredBy == [
                "admin": "vigil", "auditor": "vigil", "analyst": "incident-ops", "specialist": "incident-ops", "shift-coordinator": "incident-ops",
                "field-supervisor": "rider-compliance", "training-coordinator": "training-ops", "it-agent": "it-service-desk", "it-manager": "it-service-desk",
                "safety-manager": "safety-liaison",
            ])
        #expect(permissions["analyst"]?.contains("incident-ops.case.read") == true)
        #expect(permissions["analyst"]?.contains("it-service-desk.ticket.raise") == true)
        #expect(permissions["analyst"]?.contains("vigil.user.read") == false)
        #expect(permissions["shift-coordinator"]?.contains("vigil.user.read") == true)
        #expect(permissions["auditor"]?.contains("it-service-desk.ticket.raise") == false)
        #expect(permissions["auditor"]?.contains("it-service-desk.ticket.read") == true)

        #expect(try vigil("migrate").status == 0)
        let refused = try vigil("user", "add", "--email", "x@example.com", "--name", "X", "--role", "patroller", "--region", "BR-SP")
        #expect(refused.status != 0 && refused.stderr.contains("'patroller' is not a role of this build"), "\(refused.stderr)")
    }

    /// The CLI's actor names who ran it even when $USER is unset (cron, systemd): the account of
    /// the effective user, never "unknown".
    @Test func theCLIActorNamesTheAccountWithoutUSER() throws {
        #expect(try vigil("migrate").status == 0)
        let opened = try VigilBinary.run(
            [
                "incident-ops", "case", "open", "--region", "BR-SP", "--business-line", "drivers", "--category", "traffic-accident",
                "--severity", "S3", "--description", "Rider slipped", "--json", "--database", database,
            ],
            environment: ["USER": ""], in: folder)
        #expect(opened.status == 0, "\(opened.stderr)")
        let audit = try vigil("audit", "show", "--json")
        let account = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        #expect(audit.stdout.contains("system:cli(\(account))"), "\(audit.stdout.prefix(400))")
        #expect(!audit.stdout.contains("cli(unknown)"))
    }

    @Test func domainCommandsRefuseAnUnmigratedDatabase() throws {
        let result = try vigil("incident-ops", "case", "list")
        #expect(result.status == 69)
        #expect(result.stderr.contains("vigil migrate"))
    }

    @Test func adminFlowFromMigrationToVerifiedAudit() async throws {
        #expect(try vigil("migrate").status == 0)
        let status = try json(vigil("migrate", "--status", "--json"))
        guard case .array(let rows) = status else { Issue.record("no rows"); return }
        #expect(rows.allSatisfy { if case .object(let row) = $0 { row["state"] == .string("applied") } else { false } })

        let added = try vigil(
            "user", "add", "--email", "chief@example.com", "--name", "Chief", "--admin", "--password-stdin", "--json", stdin: "a very long password\n")
        #expect(added.status == 0, "\(added.stderr)")
        let token = try vigil("token", "create", "--user", "chief@example.com", "--name", "ops", "--json")
        guard case .object(let issued) = try json(token), case .string(let secret)? = issued["secret"] else {
            Issue.record("no secret: \(token.stdout)"); return
        }
        #expect(secret.hasPrefix("vgl_"))
        #expect(!(try vigil("token", "list")).stdout.contains(secret))

        let opened = try vigil(
            "incident-ops", "case", "open", "--region", "BR-SP", "--business-line", "clients", "--category", "robbery",
            "--severity", "S1", "--description", "Client robbed on delivery", "--address", "Rua Vergueiro 100", "--json", "--reason", "phone call")
        #expect(opened.status == 0, "\(opened.stderr)")
        guard case .object(let incident) = try json(opened), case .string(let id)? = incident["id"], case .string(let reference)? = incident["reference"] else {
            Issue.record("no case: \(opened.stdout)"); return
        }
        #expect(reference == "INC-2026-000001" || reference.hasPrefix("INC-"))
        let shown = try vigil("incident-ops", "case", "show", reference)
        #expect(shown.status == 0 && shown.stdout.contains("Client robbed on delivery"))
        let listed = try json(vigil("incident-ops", "case", "list", "--severity", "S1", "--json"))
        guard case .object(let page) = listed, case .array(let items)? = page["items"] else { Issue.record("no page"); return }
        #expect(items.count == 1)

        let stale = try vigil("incident-ops", "case", "update", id, "--expect-version", "7", "--severity", "S2")
        #expect(stale.status == 75 && stale.stderr.contains("version"))
        let updated = try vigil("incident-ops", "case", "update", id, "--expect-version", "1", "--severity", "S2")
        #expect(updated.status == 0)

        let timeline = try vigil("audit", "show", "incident-ops.case/\(id)", "--json")
        guard case .array(let records) = try json(timeline) else { Issue.record("no timeline"); return }
        #expect(records.count == 2)
        if case .object(let first)? = records.first {
            #expect(first["reason"] == .string("phone call"))
            #expect(first["actor"].map { if case .string(let actor) = $0 { actor.hasPrefix("system:cli") } else { false } } == true)
        }
        #expect(try vigil("audit", "verify").status == 0)

        // Someone with the file edits a record behind Vigil's back.
        let store = try await SQLiteStore.open(path: database, logger: TestDatabase.quietLogger)
        try await store.sql.raw("DROP TRIGGER vigil_audit_no_update").run()
        try await store.sql.raw("UPDATE vigil_audit SET actor = 'user:nobody' WHERE entity_id = \(bind: id) AND action = 'incident-ops.case.update'").run()
        await store.close()
        let broken = try vigil("audit", "verify")
        #expect(broken.status == 65)
        #expect(broken.stderr.contains("incident-ops.case/\(id)"))
    }

    /// The IT desk's import through the program: good rows in, bad rows to the error file with
    /// their line, a non-zero exit; the same file again changes nothing; the export reads back.
    @Test func assetImportThroughTheProgram() throws {
        #expect(try vigil("migrate").status == 0)
        #expect(
            try vigil(
                "it-service-desk", "site", "create", "--code", "SP-HQ", "--name", "HQ", "--country", "BR", "--region", "BR-SP",
                "--time-zone", "America/Sao_Paulo", "--currency", "BRL", "--hours", "1-5=09:00-18:00"
            ).status == 0)
        #expect(try vigil("it-service-desk", "site", "add-cost-center", "SP-HQ", "--cost-center", "CC-IT", "--name", "IT").status == 0)
        #expect(
            try vigil(
                "it-service-desk", "asset", "add-model", "--name", "ThinkPad T14", "--manufacturer", "Lenovo", "--category", "laptop",
                "--life-months", "36", "--unit-cost", "5500.00", "--currency", "BRL"
            ).status == 0)
        let header = "tag,model,site,cost_center,purchase_date,cost,currency"
        let good = ["NB-1,ThinkPad T14,SP-HQ,CC-IT,2026-01-10,5500.00,BRL", "NB-2,ThinkPad T14,SP-HQ,CC-IT,2026-01-11,5400.00,BRL"]
        let file = folder.appendingPathComponent("assets.csv")
        try ([header] + good + ["NB-3,ThinkPad T14,SP-HQ,CC-IT,2026-13-01,5400.00,BRL"]).joined(separator: "\n").write(
            to: file, atomically: true, encoding: .utf8)
        let first = try vigil("it-service-desk", "asset", "import", file.path)
        #expect(first.status == 65 && first.stderr.contains("1 rows did not import"))
        let errors = try String(contentsOf: folder.appendingPathComponent("assets.csv.errors.csv"), encoding: .utf8)
        #expect(errors.contains("4,NB-3,purchase_date"))
        let clean = folder.appendingPathComponent("clean.csv")
        try ([header] + good).joined(separator: "\n").write(to: clean, atomically: true, encoding: .utf8)
        let again = try vigil("it-service-desk", "asset", "import", clean.path, "--json")
        #expect(again.status == 0)
        let report = try json(again).objectMembers
        #expect(report["unchanged"] == .integer(2) && report["created"] == .integer(0) && report["rejected"] == .integer(0))
        let export = try vigil("it-service-desk", "asset", "export", "--site", "SP-HQ")
        #expect(export.status == 0 && export.stdout.hasPrefix(AssetColumnsHeader.line) && export.stdout.contains("NB-2,,ThinkPad T14,in-stock,SP-HQ,CC-IT"))
        let book = try vigil("it-service-desk", "asset", "book-value", "--as-of", "2026-12-31", "--json")
        #expect(book.status == 0 && book.stdout.contains("\"assets\" : 2"))
    }

    @Test func badInputAndRefusalsExitWithTheirCodes() throws {
        #expect(try vigil("migrate").status == 0)
        let invalid = try vigil(
            "incident-ops", "case", "open", "--region", "BR-SP", "--business-line", "nobody", "--category", "robbery", "--severity", "S7", "--description", "x")
        #expect(invalid.status == 65)
        #expect(invalid.stderr.contains("businessLine") && invalid.stderr.contains("severity"))
        #expect(try vigil("incident-ops", "case", "show", "INC-2026-999999").status == 66)
        #expect(try vigil("user", "add", "--email", "an@example.com", "--name", "An", "--role", "analyst", "--region", "MX-CMX").status == 0)
        let forbidden = try vigil(
            "incident-ops", "case", "open", "--region", "BR-SP", "--business-line", "drivers", "--category", "robbery", "--severity", "S3",
            "--description", "Outside her region", "--as", "an@example.com")
        #expect(forbidden.status == 77)
        let usage = try vigil("incident-ops", "case", "open")
        #expect(usage.status == 64)
        #expect(try vigil("user", "add", "--email", "bad", "--name", "", "--role", "pilot").status == 65)
    }

    @Test func configShowNamesSourcesAndMasksSecrets() throws {
        let result = try VigilBinary.run(
            ["config", "show", "--json"],
            environment: [
                "VIGIL_DATABASE_URL": "postgres://vigil:hunter2@db.internal:5432/vigil", "VIGIL_HTTP_PORT": "9090",
            ], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("hunter2"))
        guard case .array(let rows) = try json(result) else { Issue.record("no rows"); return }
        func row(_ key: String) -> [String: JSONValue]? {
            rows.compactMap { if case .object(let row) = $0, row["key"] == .string(key) { row } else { nil } }.first
        }
        #expect(row("http.port")?["value"] == .string("9090"))
        #expect(row("http.port")?["source"] == .string("environment"))
        #expect(row("http.host")?["source"] == .string("default"))
        #expect(row("database.url")?["value"] == .string("postgres://vigil:***@db.internal:5432/vigil"))
        #expect(row("domains.incident-ops.intake.max-description-length") != nil)
    }

    @Test func backupAndRestoreThroughTheCLI() throws {
        #expect(try vigil("migrate").status == 0)
        #expect(try vigil("user", "add", "--email", "keep@example.com", "--name", "Keep", "--role", "auditor", "--all-regions").status == 0)
        let backupFile = folder.appendingPathComponent("nightly.sqlite").path
        let backup = try vigil("backup", backupFile, "--json")
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(try vigil("user", "add", "--email", "later@example.com", "--name", "Later", "--role", "analyst", "--region", "BR-SP").status == 0)
        #expect(try vigil("restore", backupFile).status == 64)
        let restore = try vigil("restore", backupFile, "--yes")
        #expect(restore.status == 0, "\(restore.stderr)")
        let users = try vigil("user", "list")
        #expect(users.stdout.contains("keep@example.com") && !users.stdout.contains("later@example.com"))
    }
}

extension CLITests {
    @Test func deskCommandsLinkMergeAndCountCases() throws {
        #expect(try vigil("migrate").status == 0)
        func open(_ description: String) throws -> String {
            let result = try vigil(
                "incident-ops", "case", "open", "--region", "BR-SP", "--business-line", "drivers", "--category", "robbery",
                "--severity", "S3", "--description", description, "--json")
            #expect(result.status == 0, "\(result.stderr)")
            guard case .object(let fields) = try json(result), case .string(let reference)? = fields["reference"] else { return "" }
            return reference
        }
        let first = try open("Phone stolen from a rider at Rua Augusta")
        let second = try open("Rider reports phone stolen, Rua Augusta")
        let other = try open("Bike stolen at Pinheiros")
        let counted = try vigil("incident-ops", "case", "count", "--region", "BR-SP", "--text", "Augusta", "--json")
        let countedValue = try json(counted)
        #expect(counted.status == 0 && countedValue == .object(["count": .integer(2)]))

        let linked = try vigil("incident-ops", "case", "link", first, "--kind", "related", "--to", other)
        #expect(linked.status == 0 && linked.stdout.contains(other), "\(linked.stderr)")
        let badKind = try vigil("incident-ops", "case", "link", first, "--kind", "cousin-of", "--to", other)
        #expect(badKind.status == 65 && badKind.stderr.contains("kind"))
        let merged = try vigil("incident-ops", "case", "merge", second, "--into", first, "--json")
        #expect(merged.status == 0, "\(merged.stderr)")
        let mergedValue = try json(merged)
        if case .object(let fields) = mergedValue { #expect(fields["status"] == .string("closed")) }
        let links = try vigil("incident-ops", "case", "links", first)
        #expect(links.stdout.contains(second) && links.stdout.contains(other))
        let closed = try json(try vigil("incident-ops", "case", "count", "--region", "BR-SP", "--status", "closed", "--json"))
        #expect(closed == .object(["count": .integer(1)]))
        // The count applies every filter the list does, dates included.
        let none = try json(try vigil("incident-ops", "case", "count", "--region", "BR-SP", "--created-from", "2099-01-01T00:00:00Z", "--json"))
        #expect(none == .object(["count": .integer(0)]))
    }
}

/// The asset CSV header as the program writes it.
enum AssetColumnsHeader {
    static let line =
        "tag,serial,model,status,site,cost_center,assigned_to,location,supplier,purchase_order,invoice,purchase_date,cost,currency,salvage,life_months,depreciation,warranty_end,last_audit,next_audit_due,disposal_method,disposal_value,retired_on"
}

extension JSONValue {
    var objectMembers: [String: JSONValue] {
        if case .object(let members) = self { return members }
        return [:]
    }
}
