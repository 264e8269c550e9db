import Foundation
import IncidentOps
import JSONCoding
import Kernel
import Testing
import VigilTesting

/// Issue 9, "then prove the class": every operation of /openapi.json × every built-in role (and no
/// one signed in) × the São Paulo record, Mexico City's, the sensitive case and an id that does not
/// exist. The operations come from the running server's document, so a new endpoint joins the
/// matrix by being mounted; one whose parameters the tables below cannot fill fails the test.
@Suite(.serialized) struct AuthorizationMatrixTests {
    @Test(arguments: TestEngine.available)
    func noRoleLearnsOfRecordsCountsOrExistenceBeyondItsReach(_ engine: TestEngine) async throws {
        let started = ContinuousClock.now
        var world = try await MatrixWorld.make(engine)
        do {
            try await check(&world, started: started)
        } catch {
            await world.close()
            throw error
        }
        await world.close()
    }

    private func check(_ world: inout MatrixWorld, started: ContinuousClock.Instant) async throws {
        let document = try #require(try await world.anonymous.get("/openapi.json").json)
        let operations = MatrixOperation.all(in: document)
        var plan = MatrixPlan(records: world.records, components: document.mx("components")?.mx("schemas") ?? .object([:]), permissions: world.permissions)
        let callers: [Role?] = [nil] + world.clients.map(\.role)
        let reads = callers.map { caller in operations.filter(\.reads).flatMap { plan.cells($0, for: caller) } }
        let writes = callers.map { caller in operations.filter { !$0.reads }.flatMap { plan.cells($0, for: caller) } }
        #expect(plan.unfillable.isEmpty, "operations whose parameters the matrix cannot fill (add them to MatrixFill's tables): \(plan.unfillable.sorted())")

        // Three reads of every safe cell: as set up, after one more Mexico City record, after one more
        // sensitive case. A caller who may see neither must get the same bytes each time.
        var findings: [MatrixFinding] = []
        var answers: [[String: String]] = []
        for step in 0..<3 {
            if step == 1 { try await world.addOtherRegionRecords() }
            if step == 2 { try await world.addSensitiveRecords() }
            let outcomes = await run(reads, in: world)
            findings += judge(outcomes, world: world)
            answers.append(Dictionary(outcomes.map { ($0.cell.key, $0.shape) }) { first, _ in first })
        }
        for caller in world.clients.map(\.role) {
            for (variant, step) in [(MatrixVariant.other, 0), (.sensitive, 1)] where plan.hides(variant, from: caller) {
                for (key, answer) in answers[step]
                where key.hasPrefix(caller.rawValue + " ") && !MatrixFill.volatile.contains(where: key.contains)
                    && answers[step + 1][key] != answer
                {
                    findings.append(
                        MatrixFinding(
                            .countChanged, key, "changed when one more \(variant) record was added: \(difference(answer, answers[step + 1][key] ?? ""))"))
                }
            }
        }

        // Writes only where they must fail: a record the caller may not see, one that does not exist,
        // or an operation the caller holds no permission for. None may succeed or write a row.
        let before = try await world.rowCounts()
        let outcomes = await run(writes, in: world)
        findings += judge(outcomes, world: world)
        let after = try await world.rowCounts()
        for (table, rows) in after.sorted(by: { $0.key < $1.key }) where rows != before[table] {
            findings.append(MatrixFinding(.wrote, "table \(table)", "\(before[table] ?? 0) → \(rows) rows after the refused writes"))
        }

        let cells = reads.joined().count * 3 + writes.joined().count
        let size =
            "\(operations.count) operations × \(callers.count) callers (10 roles + anonymous) × own/other/sensitive/made-up: "
            + "\(reads.joined().count) read cells (run 3 times) + \(writes.joined().count) write cells = \(cells) requests in \(ContinuousClock.now - started) on \(world.test.database.engine)"
        print("Authorization matrix: \(size)")
        // Every read is tried by every caller; every write (but signing in and out) by someone who must fail.
        let uncovered = operations.filter { operation in
            operation.reads
                ? reads.contains { !$0.contains { $0.operation.name == operation.name } }
                : !operation.anonymous && !writes.joined().contains { $0.operation.name == operation.name }
        }
        #expect(uncovered.isEmpty, "operations the matrix does not try (\(size)): \(uncovered.map(\.name))")
        // The same cell found three times (once per read) is one finding.
        report(Dictionary(findings.map { ("\($0.kind) \($0.cell)", $0) }) { first, _ in first }.values.sorted(), on: world.test.database.engine)
    }

    /// Each finding is a product bug: unknown ones fail the test, known ones are kept visible.
    private func report(_ findings: [MatrixFinding], on engine: TestEngine) {
        var rest = findings.filter { finding in !MatrixKnownBug.policy.contains { $0.matches(finding) } }
        for bug in MatrixKnownBug.all where bug.engines.contains(engine) {
            let matched = rest.filter(bug.matches)
            rest.removeAll(where: bug.matches)
            withKnownIssue(Comment(rawValue: bug.name)) {
                #expect(matched.isEmpty, "\(matched.count) cells:\n\(matched.map(\.description).joined(separator: "\n"))")
            }
        }
        #expect(rest.isEmpty, "\(rest.count) cells reveal what the caller may not know:\n\(rest.map(\.description).joined(separator: "\n"))")
    }

    private func run(_ batches: [[MatrixCell]], in world: MatrixWorld) async -> [MatrixOutcome] {
        let clients = Dictionary(uniqueKeysWithValues: world.clients.map { ($0.role.rawValue, $0.client) })
        let anonymous = world.anonymous
        // One caller per task, four at a time: enough to keep both cores busy.
        return await withTaskGroup(of: [MatrixOutcome].self) { group in
            var pending = batches[...]
            var outcomes: [MatrixOutcome] = []
            func start(_ batch: [MatrixCell]) {
                group.addTask {
                    var done: [MatrixOutcome] = []
                    for cell in batch {
                        let client = cell.role.flatMap { clients[$0.rawValue] } ?? anonymous
                        do {
                            done.append(
                                MatrixOutcome(
                                    cell: cell,
                                    response: try await client.request(
                                        cell.operation.method, cell.url, body: cell.body.map { Data($0.utf8) },
                                        headers: cell.headers)))
                        } catch {
                            done.append(MatrixOutcome(cell: cell, failure: "\(error)"))
                        }
                    }
                    return done
                }
            }
            for _ in 0..<4 { if let batch = pending.popFirst() { start(batch) } }
            for await done in group {
                outcomes += done
                if let batch = pending.popFirst() { start(batch) }
            }
            return outcomes
        }
    }

    /// The expected outcome of each cell, against what came back.
    private func judge(_ outcomes: [MatrixOutcome], world: MatrixWorld) -> [MatrixFinding] {
        let permissions = world.permissions
        let madeUp = Dictionary(outcomes.filter { $0.cell.variant == .madeUp }.map { ($0.cell.pairKey, $0) }) { first, _ in first }
        var findings: [MatrixFinding] = []
        for outcome in outcomes {
            let cell = outcome.cell
            // No one signed in holds nothing: every word is hidden from them.
            let held = cell.role.flatMap { permissions[$0] } ?? []
            if cell.role == nil && !cell.operation.anonymous && outcome.status != 401 {
                findings.append(MatrixFinding(.refusal, cell.key, "not signed in: \(outcome.status), not 401"))
            }
            if cell.role != nil, let permission = cell.operation.permission, !held.contains(Permission(permission)), outcome.status != 403 {
                findings.append(MatrixFinding(.refusal, cell.key, "without \(permission): \(outcome.status), not 403"))
            }
            let words = (MatrixPlan.hides(.other, permissions: held) ? world.otherWords : []).union(
                MatrixPlan.hides(.sensitive, permissions: held) ? world.sensitiveWords : [])
            let leaked = words.filter { outcome.shape.range(of: $0, options: .caseInsensitive) != nil }.sorted()
            if !leaked.isEmpty { findings.append(MatrixFinding(.leak, cell.key, "shows \(leaked.joined(separator: ", "))", leaked: leaked)) }
            if [.other, .sensitive].contains(cell.variant), MatrixPlan.hides(cell.variant, permissions: held), let missing = madeUp[cell.pairKey],
                missing.shape != outcome.shape
            {
                findings.append(
                    MatrixFinding(.existence, cell.key, "answers \(outcome.shape.prefix(300)) — for an id that does not exist: \(missing.shape.prefix(300))"))
            }
            // The control: the admin reaches every record the fill tables name, so that a hidden record
            // answering like a missing one is not merely two wrong ids answering alike.
            if cell.role == .admin, cell.operation.reads, cell.variant != .madeUp, cell.slot != "", !(200..<300).contains(outcome.status) {
                findings.append(MatrixFinding(.control, cell.key, "the admin gets \(outcome.shape.prefix(300))"))
            }
            if outcome.status >= 500 || outcome.status == 0 { findings.append(MatrixFinding(.failed, cell.key, outcome.shape)) }
            if !cell.operation.reads && cell.variant != .own && (200..<300).contains(outcome.status) {
                findings.append(MatrixFinding(.succeeded, cell.key, "a write naming a \(cell.variant) record succeeded: \(outcome.shape.prefix(200))"))
            }
        }
        return findings
    }
}

/// Where two answers first differ, with some context.
private func difference(_ before: String, _ after: String) -> String {
    let index = zip(before, after).prefix { $0 == $1 }.count
    return "…\(before.dropFirst(max(0, index - 80)).prefix(160)) ⇒ …\(after.dropFirst(max(0, index - 80)).prefix(160))"
}

/// One operation of the served document, as the matrix drives it.
struct MatrixOperation: Sendable {
    let method: String
    let path: String
    /// From the description every protected operation carries: "Requires the permission `…`."
    let permission: String?
    let anonymous: Bool
    let pathParameters: [String]
    let queryParameters: [String]
    let headers: [String]
    let bodyType: String?
    let bodySchema: JSONValue?

    var name: String { "\(method) \(path)" }
    var reads: Bool { method == "GET" }

    static func all(in document: JSONValue) -> [MatrixOperation] {
        guard case .object(let paths)? = document.mx("paths") else { return [] }
        return paths.flatMap { path, item -> [MatrixOperation] in
            guard case .object(let methods) = item else { return [] }
            return methods.map { method, operation in
                let parameters = operation.mx("parameters")?.mxItems ?? []
                func names(_ place: String) -> [String] { parameters.filter { $0.mx("in")?.mxText == place }.compactMap { $0.mx("name")?.mxText } }
                let description = operation.mx("description")?.mxText ?? ""
                var body: (String, JSONValue)?
                if case .object(let content)? = operation.mx("requestBody")?.mx("content"), let first = content.min(by: { $0.key < $1.key }) {
                    body = (first.key, first.value.mx("schema") ?? .object([:]))
                }
                return MatrixOperation(
                    method: method.uppercased(), path: path,
                    permission: description.hasPrefix("Requires the permission `") ? description.split(separator: "`").dropFirst().first.map(String.init) : nil,
                    anonymous: operation.mx("security") == .array([]), pathParameters: names("path"), queryParameters: names("query"),
                    headers: names("header"), bodyType: body?.0, bodySchema: body?.1)
            }
        }.sorted { $0.name < $1.name }
    }
}

/// One request of the matrix: an operation, a caller, and which of its references names which record.
struct MatrixCell: Sendable {
    let operation: MatrixOperation
    let role: Role?
    let slot: String
    let variant: MatrixVariant
    let url: String
    let body: String?
    let headers: [String: String]
    /// The values the request itself names: an answer may repeat them.
    let named: [String]
    /// "<caller> <operation> <constants> <slot>": the cells that differ only by variant.
    let pairKey: String
    var key: String { "\(pairKey)=\(variant)" }
}

struct MatrixOutcome: Sendable {
    let cell: MatrixCell
    let status: Int
    /// Status and body, without what differs on every request (request id, timings) and with the
    /// values the request named replaced, so two answers compare and scan as they should.
    let shape: String

    init(cell: MatrixCell, response: TestResponse) {
        self.cell = cell
        status = response.status
        func scrub(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let members): .object(members.filter { !["requestId", "instance", "seconds"].contains($0.key) }.mapValues(scrub))
            case .array(let items): .array(items.map(scrub))
            default: value
            }
        }
        var text = (try? JSONValue.parse(response.body)).map { scrub($0).jsonText } ?? response.text
        for value in cell.named where !value.isEmpty { text = text.replacingOccurrences(of: value, with: "‹named›", options: .caseInsensitive) }
        text = text.replacingOccurrences(of: "request id [0-9a-f-]+", with: "request id ‹id›", options: .regularExpression)
        shape = "\(response.status) \(text)"
    }

    init(cell: MatrixCell, failure: String) {
        self.cell = cell
        status = 0
        shape = "0 no answer: \(failure)"
    }
}

struct MatrixFinding: Hashable, Comparable, CustomStringConvertible {
    enum Kind: String, Comparable {
        case refusal, leak, existence, succeeded, wrote, countChanged, failed, control
        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    let kind: Kind
    let cell: String
    let detail: String
    var leaked: [String] = []

    init(_ kind: Kind, _ cell: String, _ detail: String, leaked: [String] = []) {
        self.kind = kind
        self.cell = cell
        self.detail = detail
        self.leaked = leaked
    }

    var description: String { "[\(kind.rawValue)] \(cell): \(detail)" }
    static func < (lhs: MatrixFinding, rhs: MatrixFinding) -> Bool { (lhs.kind, lhs.cell) < (rhs.kind, rhs.cell) }
}

/// Which record each parameter names, and the cells of one operation for one caller.
struct MatrixPlan {
    let records: [String: MatrixRecord]
    let components: JSONValue
    let permissions: [Role: Set<Permission>]
    private(set) var unfillable: Set<String> = []

    static func hides(_ variant: MatrixVariant, permissions: Set<Permission>) -> Bool {
        switch variant {
        case .other: !permissions.contains(PlatformPermissions.allRegions)
        case .sensitive: !permissions.contains(IncidentOpsPermissions.caseReadSensitive)
        case .own, .madeUp: false
        }
    }

    func hides(_ variant: MatrixVariant, from role: Role) -> Bool { Self.hides(variant, permissions: permissions[role] ?? []) }

    func recordKind(of parameter: String, in path: String) -> String? {
        guard parameter == "id" else { return MatrixFill.pathKinds[parameter] }
        let segments = path.split(separator: "/").map(String.init)
        guard let index = segments.firstIndex(of: "{id}"), index > 0 else { return nil }
        return MatrixFill.idKinds[segments[index - 1]]
    }

    /// Reads: the plain request, then each reference as each record. Writes: only what must fail.
    mutating func cells(_ operation: MatrixOperation, for role: Role?) -> [MatrixCell] {
        var fixed: [[String: String]] = [[:]]
        var pathKind: String?
        for parameter in operation.pathParameters {
            if let kind = recordKind(of: parameter, in: operation.path) {
                pathKind = pathKind ?? kind
            } else if let values = MatrixFill.constants(parameter, in: operation.path) {
                fixed = fixed.flatMap { chosen in values.map { chosen.merging([parameter: $0]) { $1 } } }
            } else {
                unfillable.insert("\(operation.name) {\(parameter)}")
                return []
            }
        }
        let permitted = role.map { role in operation.permission.map { permissions[role]?.contains(Permission($0)) ?? false } ?? true } ?? false
        if !permitted && role == nil && operation.anonymous && !operation.reads { return [] }
        var slots = pathKind.map { [("path", $0)] } ?? []
        slots += operation.queryParameters.compactMap { name in MatrixFill.queryKinds[name].map { ("query:\(name)", $0) } }
        slots += bodyProperties(operation).compactMap { name in MatrixFill.bodyKinds[name].map { ("body:\(name)", $0) } }
        return fixed.flatMap { constants -> [MatrixCell] in
            guard permitted, let role else { return [cell(operation, role, constants, "", .own)] }
            var cells = operation.reads ? [cell(operation, role, constants, "", .own)] : []
            for (slot, kind) in slots {
                for variant in MatrixVariant.allCases where records[kind]?.value(variant) != nil {
                    if variant == .own && (slot == "path" || !operation.reads) { continue }
                    if !operation.reads && variant != .madeUp && !hides(variant, from: role) { continue }
                    cells.append(cell(operation, role, constants, slot, variant))
                }
            }
            return cells
        }
    }

    private func bodyProperties(_ operation: MatrixOperation) -> [String] {
        guard let schema = operation.bodySchema.map(resolved), case .object(let properties)? = schema.mx("properties") else { return [] }
        return properties.keys.sorted()
    }

    private func resolved(_ schema: JSONValue) -> JSONValue {
        guard let reference = schema.mx("$ref")?.mxText, let name = reference.split(separator: "/").last else { return schema }
        return components.mx(String(name)) ?? schema
    }

    private func cell(_ operation: MatrixOperation, _ role: Role?, _ constants: [String: String], _ slot: String, _ variant: MatrixVariant) -> MatrixCell {
        var path = operation.path
        var named: [String] = []
        func choose(_ kind: String, _ here: String) -> String {
            let value = records[kind]?.value(slot == here ? variant : .own) ?? ""
            if slot == here {
                named.append(value)
                // An audit entity names a case: the case's id alone may come back too.
                if kind == "entity", let id = records["case"]?.value(variant) { named.append(id) }
            }
            return value
        }
        for parameter in operation.pathParameters {
            let value = recordKind(of: parameter, in: operation.path).map { choose($0, "path") } ?? constants[parameter] ?? ""
            path = path.replacingOccurrences(of: "{\(parameter)}", with: value)
        }
        var query = (operation.queryParameters.contains("fiscalYear") ? ["fiscalYear=2026"] : []) + (MatrixFill.requiredQuery[operation.path] ?? [])
        for name in operation.queryParameters where slot == "query:\(name)" {
            query.append("\(name)=\(choose(MatrixFill.queryKinds[name] ?? "", slot))")
        }
        var headers = operation.headers.contains("If-Match") ? ["If-Match": "\"1\""] : [:]
        var body: String?
        if let schema = operation.bodySchema {
            if operation.bodyType?.contains("json") == true {
                body = example(schema, named: "") { name in MatrixFill.bodyKinds[name].map { choose($0, "body:\(name)") } }.jsonText
            } else {
                body = "tag,model\nAS-NEW9,Latitude\n"
                headers["Content-Type"] = operation.bodyType
            }
        }
        let label = constants.isEmpty ? "" : " " + constants.sorted { $0.key < $1.key }.map(\.value).joined(separator: ",")
        return MatrixCell(
            operation: operation, role: role, slot: slot, variant: variant, url: path + (query.isEmpty ? "" : "?" + query.joined(separator: "&")),
            body: body, headers: headers, named: named, pairKey: "\(role?.rawValue ?? "anonymous") \(operation.name)\(label) \(slot)")
    }

    /// A body the schema accepts, with every reference the matrix varies filled in by `choose`.
    private func example(_ schema: JSONValue, named name: String, choose: (String) -> String?) -> JSONValue {
        let schema = resolved(schema)
        if let first = schema.mx("anyOf")?.mxItems.first { return example(first, named: name, choose: choose) }
        if MatrixFill.bodyKinds[name] != nil, let value = choose(name) {
            return schema.mx("type")?.mxText == "array" ? .array([.string(value)]) : .string(value)
        }
        switch schema.mx("type")?.mxText {
        case "object":
            guard case .object(let properties)? = schema.mx("properties") else { return .object([:]) }
            let required = Set(schema.mx("required")?.mxItems.compactMap(\.mxText) ?? [])
            return .object(
                properties.filter { required.contains($0.key) || MatrixFill.bodyKinds[$0.key] != nil }
                    .reduce(into: [:]) { $0[$1.key] = example($1.value, named: $1.key, choose: choose) })
        case "array": return .array([])
        case "boolean": return .bool(false)
        case "integer", "number":
            if case .integer(let minimum)? = schema.mx("minimum") { return .integer(max(minimum, 1)) }
            return .integer(1)
        default:
            if let first = schema.mx("enum")?.mxItems.first { return first }
            switch schema.mx("format")?.mxText {
            case "date": return .string("2026-06-10")
            case "date-time": return .string("2026-06-10T12:30:00Z")
            case "email": return .string("specialist@matrix.test")
            case "uuid": return .string("00000000-0000-7000-8000-000000000000")
            default: return .string(MatrixFill.texts[name] ?? "matrix probe")
            }
        }
    }
}

/// Product bugs the matrix finds today, each kept visible until it is fixed.
struct MatrixKnownBug: Sendable {
    let name: String
    let engines: Set<TestEngine>
    let matches: @Sendable (MatrixFinding) -> Bool

    init(_ name: String, on engines: Set<TestEngine> = Set(TestEngine.allCases), _ matches: @escaping @Sendable (MatrixFinding) -> Bool) {
        self.name = name
        self.engines = engines
        self.matches = matches
    }

    private static func leaks(_ finding: MatrixFinding, of prefix: String) -> Bool {
        finding.kind == .leak && finding.leaked.allSatisfy { $0.hasPrefix(prefix) }
    }

    /// Bugs found and not fixed yet (none today): each keeps its cells visible as a known issue.
    static let all: [MatrixKnownBug] = []

    /// What the product shows on purpose, with the reason; not a finding.
    static let policy: [MatrixKnownBug] = [
        // docs/API.md: the audit log shows a record one may audit but not read without its values.
        // An auditor's job is to see that something happened to a sensitive case, and by whom.
        MatrixKnownBug("An auditor sees that a sensitive case's audit records exist, redacted") {
            $0.kind == .existence && $0.cell.contains("GET /api/audit query:entity=sensitive") && $0.cell.contains("auditor")
        }
    ]
}
