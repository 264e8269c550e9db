import Calendars
import Foundation
import IncidentOps
import ITServiceDesk
import JSONCoding
import Kernel
import RiderCompliance
import SafetyLiaison
import SQLKit
import TrainingOps
import VigilServer
import VigilTesting

/// Which record a path, query or body value of a matrix cell names: the São Paulo one the caller
/// works with, Mexico City's, the sensitive São Paulo case, or one that was never created.
enum MatrixVariant: String, CaseIterable, Sendable { case own, other, sensitive, madeUp }

/// The four values one kind of reference takes (an id, a code, a tag); `sensitive` only where the
/// record can be sensitive (IncidentOps cases and what hangs off them).
struct MatrixRecord: Sendable {
    var own: String
    var other: String
    var sensitive: String?
    var madeUp: String

    func value(_ variant: MatrixVariant) -> String? {
        switch variant {
        case .own: own
        case .other: other
        case .sensitive: sensitive
        case .madeUp: madeUp
        }
    }
}

/// Both desks on a live server with data in two regions, created by an admin, and one user per
/// built-in role working in São Paulo. Every free text of a Mexico City or sensitive record carries
/// a marker, and the ids, references, tags and codes of those records are kept as the words no
/// one without access may ever read.
struct MatrixWorld {
    static let sp = RegionCode("BR-SP")!
    static let mx = RegionCode("MX-CMX")!
    /// Data is made at 12:00Z on a Wednesday, read two minutes later: inside business hours, before
    /// any SLA warning (15 min for S2) or escalation step (10 min) falls due, and no roster shift
    /// ends, so the background jobs change nothing between two reads.
    static let madeAt = ISO8601.parse("2026-06-10T12:00:00Z")!
    static let readAt = madeAt.addingTimeInterval(120)

    let test: TestRuntime
    let server: LiveServer
    let admin: TestClient
    let anonymous: TestClient
    let clients: [(role: Role, client: TestClient)]
    let otherMark = "LEAKMARK-O" + UUID().uuidString.prefix(8)
    let sensitiveMark = "LEAKMARK-S" + UUID().uuidString.prefix(8)
    private(set) var records: [String: MatrixRecord] = [:]
    /// What only those who see Mexico City, or sensitive cases, may read.
    private(set) var otherWords: Set<String> = []
    private(set) var sensitiveWords: Set<String> = []

    static func make(_ engine: TestEngine) async throws -> MatrixWorld {
        let test = try await TestRuntime.make(
            engine,
            domains: [
                IncidentOpsModule.self, ITServiceDeskModule.self, RiderComplianceModule.self,
                TrainingOpsModule.self, SafetyLiaisonModule.self,
            ], clock: FixedWallClock(madeAt))
        let server: LiveServer
        do { server = try await LiveServer.start(test.runtime) } catch {
            await test.close()
            throw error
        }
        do {
            let admin = try await test.user("setup.admin@matrix.test", roles: [.admin], regions: .all)
            var clients: [(role: Role, client: TestClient)] = []
            // All in São Paulo: the admin and the auditor reach further through their roles'
            // permissions (every region), as the product defines them.
            for role in test.runtime.registry.roleCatalog.roles.map(\.descriptor.role) {
                let user = try await test.user("\(role.rawValue)@matrix.test", roles: [role], regions: .only([sp]))
                clients.append((role, TestClient(baseURL: server.baseURL, token: user.token)))
            }
            _ = try await test.user("mx.worker@matrix.test", roles: [.analyst, .itAgent], regions: .only([mx]))
            var world = MatrixWorld(
                test: test, server: server, admin: TestClient(baseURL: server.baseURL, token: admin.token),
                anonymous: TestClient(baseURL: server.baseURL, token: nil), clients: clients)
            try await world.makeIncidentDesk()
            try await world.makeITDesk()
            test.clock.set(readAt)
            return world
        } catch {
            try? await server.stop()
            await test.close()
            throw error
        }
    }

    func close() async {
        try? await server.stop()
        await test.close()
    }

    /// What each role of this build holds, from the registry's role catalog.
    var permissions: [Role: Set<Permission>] {
        let catalog = test.runtime.registry.roleCatalog
        return Dictionary(uniqueKeysWithValues: catalog.roles.map { ($0.descriptor.role, catalog.permissions(of: [$0.descriptor.role])) })
    }

    /// Rows of every table, to show that refused writes wrote nothing.
    func rowCounts() async throws -> [String: Int] { try await test.rowCounts() }

    // MARK: Set-up through the API, as the admin

    @discardableResult
    func send(_ method: String, _ path: String, _ body: String? = nil, version: JSONValue? = nil) async throws -> JSONValue {
        var headers: [String: String] = [:]
        if case .integer(let number)? = version { headers["If-Match"] = "\"\(number)\"" }
        let response = try await admin.request(method, path, json: body, headers: headers)
        guard (200..<300).contains(response.status) else { throw MatrixSetupFailure(description: "\(method) \(path) → \(response.status) \(response.text)") }
        return response.json ?? .null
    }

    private mutating func keep(_ kind: String, own: JSONValue?, other: JSONValue?, sensitive: JSONValue? = nil, madeUp: String = UUID().uuidString.lowercased())
        throws
    {
        guard let own = own?.mxText, let other = other?.mxText else { throw MatrixSetupFailure(description: "no \(kind) to keep") }
        records[kind] = MatrixRecord(own: own, other: other, sensitive: sensitive?.mxText, madeUp: madeUp)
    }

    /// The ids (and references) of records only Mexico City's readers, or sensitive readers, may see.
    private mutating func hide(_ values: [JSONValue?], sensitive: Bool = false) {
        let words = values.compactMap { $0?.mxText }
        if sensitive { sensitiveWords.formUnion(words) } else { otherWords.formUnion(words) }
    }

    private func openCase(_ region: RegionCode, _ category: String, _ text: String, sensitive: Bool = false, severity: String = "S2") async throws -> JSONValue
    {
        try await send(
            "POST", "/api/incident-ops/cases",
            """
            {"region":"\(region)","businessLine":"drivers","category":"\(category)","severity":"\(severity)","description":"\(text) case",\
            "reporterName":"\(text)","sensitive":\(sensitive)}
            """)
    }

    private mutating func makeIncidentDesk() async throws {
        let io = "/api/incident-ops"
        for category in ["assault", "harassment"] {
            try await send(
                "POST", "\(io)/sops",
                #"{"category":"\#(category)","title":"Runbook","steps":[{"key":"call-reporter","title":"Call","mandatory":true,"deadlineMinutes":60}]}"#)
        }
        let ownQueue = try await send("POST", "\(io)/queues", #"{"region":"BR-SP","name":"Own queue","strategy":"round-robin"}"#)
        let otherQueue = try await send("POST", "\(io)/queues", #"{"region":"MX-CMX","name":"\#(otherMark) queue","strategy":"round-robin"}"#)
        try keep("queue", own: ownQueue.mx("id"), other: otherQueue.mx("id"))
        try await send(
            "PUT", "\(io)/analysts",
            #"{"email":"specialist@matrix.test","region":"BR-SP","skills":["first-aid"],"languages":["pt-BR"],"capacity":9,"sensitiveOK":true}"#)
        try await send(
            "PUT", "\(io)/analysts", #"{"email":"mx.worker@matrix.test","region":"MX-CMX","skills":["\#(otherMark)"],"languages":["es"],"capacity":9}"#)
        let shift = #""startsAt":"2026-06-10T11:00:00Z","endsAt":"2026-06-10T19:00:00Z","role":"analyst""#
        try await send("POST", "\(io)/roster", #"{"email":"specialist@matrix.test","region":"BR-SP",\#(shift),"note":"own shift"}"#)
        let otherShift = try await send("POST", "\(io)/roster", #"{"email":"mx.worker@matrix.test","region":"MX-CMX",\#(shift),"note":"\#(otherMark) shift"}"#)

        let own = try await openCase(Self.sp, "assault", "Own")
        let other = try await openCase(Self.mx, "assault", otherMark)
        let secret = try await openCase(Self.sp, "harassment", sensitiveMark, sensitive: true)
        for (incident, text) in [(own, "own"), (other, otherMark), (secret, sensitiveMark)] {
            let id = incident.mx("id")?.mxText ?? ""
            try await send("POST", "\(io)/cases/\(id)/notes", #"{"text":"\#(text) note"}"#)
            try await send("POST", "\(io)/cases/\(id)/contacts", #"{"channel":"phone","with":"reporter","outcome":"reached","note":"\#(text) contact"}"#)
            try await send(
                "POST", "\(io)/cases/\(id)/attachments",
                """
                {"fileName":"\(text).pdf","contentType":"application/pdf","sizeBytes":10,"sha256":"\(String(repeating: "a", count: 64))","storageRef":"\(text)"}
                """)
        }
        // The São Paulo case links to the other two: its links and timeline must not show them.
        for linked in [other, secret] {
            try await send("POST", "\(io)/cases/\(own.mx("id")?.mxText ?? "")/links", #"{"kind":"related","case":"\#(linked.mx("id")?.mxText ?? "")"}"#)
        }
        try keep("case", own: own.mx("id"), other: other.mx("id"), sensitive: secret.mx("id"))
        records["entity"] = records["case"].map { record in
            MatrixRecord(
                own: "incident-ops.case/\(record.own)", other: "incident-ops.case/\(record.other)",
                sensitive: record.sensitive.map { "incident-ops.case/\($0)" }, madeUp: "incident-ops.case/\(record.madeUp)")
        }
        hide([other.mx("id"), other.mx("reference"), otherQueue.mx("id"), otherShift.mx("id")])
        hide([secret.mx("id"), secret.mx("reference")], sensitive: true)

        // Closed cases of the week, sampled for quality review in both regions.
        var closed: [JSONValue] = []
        for (region, text, sensitive) in [(Self.sp, "Own closed", false), (Self.mx, "\(otherMark) closed", false), (Self.sp, "\(sensitiveMark) closed", true)] {
            var incident = try await openCase(region, "lost-item", text, sensitive: sensitive, severity: "S4")
            let id = incident.mx("id")?.mxText ?? ""
            if incident.mx("assignee") == nil {
                let analyst = region == Self.sp ? "specialist@matrix.test" : "mx.worker@matrix.test"
                incident = try await send("POST", "\(io)/cases/\(id)/assign", #"{"assignee":"\#(analyst)"}"#, version: incident.mx("version"))
            }
            for step in [#"{"to":"in-progress"}"#, #"{"to":"resolved","resolutionCode":"resolved"}"#, #"{"to":"closed"}"#] {
                incident = try await send("POST", "\(io)/cases/\(id)/transitions", step, version: incident.mx("version"))
            }
            closed.append(incident)
            hide([incident.mx("id"), incident.mx("reference")].filter { _ in region == Self.mx || sensitive }, sensitive: sensitive)
        }
        let reviews =
            try await send("POST", "\(io)/qa/samples", #"{"region":"BR-SP","perAnalyst":5}"#).mxItems
            + send("POST", "\(io)/qa/samples", #"{"region":"MX-CMX","perAnalyst":5}"#).mxItems
        func review(of incident: JSONValue) -> JSONValue? { reviews.first { $0.mx("caseId") == incident.mx("id") }?.mx("id") }
        try keep("review", own: review(of: closed[0]), other: review(of: closed[1]), sensitive: review(of: closed[2]))
        hide([review(of: closed[1])])
        hide([review(of: closed[2])], sensitive: true)

        let escalations = try await send("GET", "\(io)/escalations").mxItems
        func escalation(of incident: JSONValue) -> JSONValue? { escalations.first { $0.mx("caseId") == incident.mx("id") }?.mx("id") }
        try keep("escalation", own: escalation(of: own), other: escalation(of: other), sensitive: escalation(of: secret))
        hide([escalation(of: other)])
        hide([escalation(of: secret)], sensitive: true)
        guard records["review"]?.sensitive != nil, records["escalation"]?.sensitive != nil else {
            throw MatrixSetupFailure(description: "the sensitive cases raised no escalation or QA review to probe")
        }

        let ownHandover = try await send("POST", "\(io)/handovers", #"{"region":"BR-SP","notes":"own handover"}"#)
        let otherHandover = try await send("POST", "\(io)/handovers", #"{"region":"MX-CMX","notes":"\#(otherMark) handover"}"#)
        try keep("handover", own: ownHandover.mx("id"), other: otherHandover.mx("id"))
        hide([otherHandover.mx("id")])
        records["region"] = MatrixRecord(own: "BR-SP", other: "MX-CMX", sensitive: nil, madeUp: "PE-LIM")
    }

    private mutating func makeITDesk() async throws {
        let it = "/api/it-service-desk"
        try await send(
            "POST", "\(it)/sites", #"{"code":"SP-OWN","name":"Own site","country":"BR","region":"BR-SP","timeZone":"America/Sao_Paulo","currency":"BRL"}"#)
        try await send(
            "POST", "\(it)/sites",
            #"{"code":"MX-LKO","name":"\#(otherMark) site","country":"MX","region":"MX-CMX","timeZone":"America/Mexico_City","currency":"MXN"}"#)
        records["site"] = MatrixRecord(own: "SP-OWN", other: "MX-LKO", sensitive: nil, madeUp: "XX-NONE")
        records["costCenter"] = MatrixRecord(own: "CC-OWN", other: "CC-LKO", sensitive: nil, madeUp: "CC-NONE")
        records["tag"] = MatrixRecord(own: "AS-OWN1", other: "AS-LKO1", sensitive: nil, madeUp: "AS-NONE1")
        hide([.string("MX-LKO"), .string("CC-LKO"), .string("AS-LKO1")])
        for (site, center, text, currency) in [("SP-OWN", "CC-OWN", "own", "BRL"), ("MX-LKO", "CC-LKO", otherMark, "MXN")] {
            try await send("POST", "\(it)/sites/\(site)/cost-centers", #"{"code":"\#(center)","name":"\#(text) cc"}"#)
            try await send("POST", "\(it)/sites/\(site)/holidays", #"{"date":"2026-07-09","name":"\#(text) holiday"}"#)
            try await send("PUT", "\(it)/budgets/2026/\(center)/opex/software", #"{"amount":1000000,"currency":"\#(currency)"}"#)
            try await send("PUT", "\(it)/forecast/headcount/\(site)/2027-Q1", #"{"delta":2}"#)
        }
        try await send("PUT", "\(it)/exchange-rates/MXN", #"{"effectiveOn":"2026-01-01","rate":"0.30"}"#)
        let groups = [
            try await send("POST", "\(it)/groups", #"{"region":"BR-SP","name":"Own group","categories":[],"strategy":"round-robin"}"#),
            try await send("POST", "\(it)/groups", #"{"region":"MX-CMX","name":"\#(otherMark) group","categories":[],"strategy":"round-robin"}"#),
        ]
        hide([groups[1].mx("id")])
        try await send("PUT", "\(it)/agents", #"{"email":"it-agent@matrix.test","region":"BR-SP","skills":[],"capacity":9,"groups":["Own group"]}"#)
        try await send(
            "PUT", "\(it)/agents",
            #"{"email":"mx.worker@matrix.test","region":"MX-CMX","skills":["\#(otherMark)"],"capacity":9,"groups":["\#(otherMark) group"]}"#)
        try await send(
            "POST", "\(it)/asset-models",
            #"{"category":"laptop","currency":"BRL","expectedLifeMonths":36,"manufacturer":"Dell","name":"Latitude","unitCost":500000}"#)
        var made: [String: [JSONValue]] = [:]
        for (site, center, text, currency) in [("SP-OWN", "CC-OWN", "own", "BRL"), ("MX-LKO", "CC-LKO", otherMark, "MXN")] {
            let tag = site == "SP-OWN" ? "AS-OWN1" : "AS-LKO1"
            made["asset", default: []].append(
                try await send(
                    "POST", "\(it)/assets",
                    """
                    {"tag":"\(tag)","model":"Latitude","site":"\(site)","costCenter":"\(center)","cost":500000,"currency":"\(currency)","purchaseDate":"2026-02-01",\
                    "location":"\(text) desk","serial":"\(text)","warrantyEnd":"2026-07-01"}
                    """))
            made["expense", default: []].append(
                try await send(
                    "POST", "\(it)/expenses",
                    """
                    {"spentOn":"2026-03-01","costCenter":"\(center)","kind":"opex","category":"software","amount":1000,"currency":"\(currency)","description":"\(text) expense"}
                    """))
            made["contract", default: []].append(
                try await send(
                    "POST", "\(it)/contracts",
                    """
                    {"vendor":"\(text) vendor","type":"network-link-lease","title":"\(text) link","site":"\(site)","costCenter":"\(center)","start":"2026-01-31",\
                    "initialTermMonths":12,"noticeDays":60,"tacitRenewal":true,"billingPeriodMonths":1,"billingAmount":1000,"currency":"\(currency)","circuitId":"\(text)"}
                    """))
            var requirement = try await send(
                "POST", "\(it)/requirements",
                """
                {"title":"\(text) requirement","businessNeed":"\(text) need","site":"\(site)","priority":"medium","estimatedCost":1000,"currency":"\(currency)"}
                """)
            requirement = try await send(
                "POST", "\(it)/requirements/\(requirement.mx("id")?.mxText ?? "")/triage", #"{"decision":"accepted"}"#, version: requirement.mx("version"))
            let owner = site == "SP-OWN" ? "it-agent@matrix.test" : "mx.worker@matrix.test"
            requirement = try await send(
                "POST", "\(it)/requirements/\(requirement.mx("id")?.mxText ?? "")/tasks",
                #"{"title":"\#(text) task","owner":"\#(owner)","dueDate":"2026-12-20"}"#)
            made["requirement", default: []].append(requirement)
            made["task", default: []].append(requirement.mx("tasks")?.mxItems.first?.mx("id") ?? .null)
            made["ticket", default: []].append(
                try await send(
                    "POST", "\(it)/tickets",
                    """
                    {"type":"incident","category":"hardware","title":"\(text) ticket","description":"\(text) screen","site":"\(site)","impact":2,"urgency":2}
                    """))
        }
        // Asset imports: an import's record is its author's and all-region people's to read.
        var imports: [JSONValue] = []
        for (name, row) in [
            ("own.csv", "AS-OWN9,Latitude,SP-OWN,2026-02-01,5000.00,BRL"), ("\(otherMark).csv", "AS-LKO9,Latitude,MX-LKO,2026-02-01,5000.00,MXN"),
        ] {
            let response = try await admin.request(
                "POST", "\(it)/imports/assets?name=\(name)", body: Data("tag,model,site,purchase_date,cost,currency\n\(row)\n".utf8),
                headers: ["Content-Type": "text/csv"])
            guard response.status == 200, let report = response.json else {
                throw MatrixSetupFailure(description: "import → \(response.status) \(response.text)")
            }
            imports.append(report)
        }
        try keep("import", own: imports[0].mx("id"), other: imports[1].mx("id"))
        hide([imports[1].mx("id"), .string("AS-LKO9")])
        for kind in ["contract", "requirement", "ticket"] {
            try keep(kind, own: made[kind]?[0].mx("id"), other: made[kind]?[1].mx("id"))
        }
        try keep("task", own: made["task"]?[0], other: made["task"]?[1])
        for kind in ["asset", "expense", "contract", "requirement", "ticket"] {
            hide([made[kind]?[1].mx("id"), made[kind]?[1].mx("reference")])
        }
        hide([made["task"]?[1]])
    }

    // MARK: One more record the São Paulo roles may not see, between two reads

    /// A Mexico City case (it escalates), ticket, expense and asset, made a minute before the reads.
    mutating func addOtherRegionRecords() async throws {
        test.clock.set(Self.madeAt.addingTimeInterval(60))
        defer { test.clock.set(Self.readAt) }
        let incident = try await openCase(Self.mx, "assault", "\(otherMark) again")
        let ticket = try await send(
            "POST", "/api/it-service-desk/tickets",
            """
            {"type":"incident","category":"hardware","title":"\(otherMark) again","description":"\(otherMark)","site":"MX-LKO","impact":2,"urgency":2}
            """)
        let expense = try await send(
            "POST", "/api/it-service-desk/expenses",
            """
            {"spentOn":"2026-03-02","costCenter":"CC-LKO","kind":"opex","category":"software","amount":5000,"currency":"MXN","description":"\(otherMark) again"}
            """)
        let asset = try await send(
            "POST", "/api/it-service-desk/assets",
            """
            {"tag":"AS-LKO2","model":"Latitude","site":"MX-LKO","costCenter":"CC-LKO","cost":700000,"currency":"MXN","purchaseDate":"2026-02-01"}
            """)
        let escalation = try await send("GET", "/api/incident-ops/escalations?region=MX-CMX").mxItems.first { $0.mx("caseId") == incident.mx("id") }
        hide([
            incident.mx("id"), incident.mx("reference"), ticket.mx("id"), ticket.mx("reference"), expense.mx("id"), asset.mx("id"), .string("AS-LKO9"),
            escalation?.mx("id"),
        ])
    }

    /// A sensitive São Paulo case (it escalates by category) with a note, made before the reads.
    mutating func addSensitiveRecords() async throws {
        test.clock.set(Self.madeAt.addingTimeInterval(90))
        defer { test.clock.set(Self.readAt) }
        let incident = try await openCase(Self.sp, "harassment", "\(sensitiveMark) again", sensitive: true)
        try await send("POST", "/api/incident-ops/cases/\(incident.mx("id")?.mxText ?? "")/notes", #"{"text":"\#(sensitiveMark) again"}"#)
        let escalation = try await send("GET", "/api/incident-ops/escalations?region=BR-SP").mxItems.first { $0.mx("caseId") == incident.mx("id") }
        hide([incident.mx("id"), incident.mx("reference"), escalation?.mx("id")], sensitive: true)
    }
}

/// Which record each parameter of the document names, and the values of those that name none.
enum MatrixFill {
    /// `{id}` names a record of the collection before it.
    static let idKinds = [
        "cases": "case", "escalations": "escalation", "reviews": "review", "handovers": "handover", "queues": "queue",
        "tickets": "ticket", "requirements": "requirement", "contracts": "contract", "assets": "import",
    ]
    static let pathKinds = ["tag": "tag", "code": "site", "site": "site", "costCenter": "costCenter", "region": "region", "task": "task"]
    static let queryKinds = ["region": "region", "site": "site", "costCenter": "costCenter", "case": "case", "entity": "entity"]
    static let bodyKinds = [
        "region": "region", "site": "site", "costCenter": "costCenter", "case": "case", "into": "case", "parent": "ticket",
        "target": "ticket", "tags": "tag",
    ]
    /// Query values a read cannot do without (besides `fiscalYear=2026` wherever it is declared).
    static let requiredQuery = [
        "/api/it-service-desk/expenses": ["from=2026-01-01", "to=2026-12-31"],
        "/api/it-service-desk/reports/asset-attention": ["kind=warranty-ending"],
    ]
    /// Counters that change with every request, whoever asks.
    static let volatile = ["GET /metrics"]

    /// Path parameters that name no record: the same value in every variant (every report name).
    static func constants(_ parameter: String, in path: String) -> [String]? {
        switch parameter {
        case "step": ["call-reporter"]
        case "fiscalYear": ["2026"]
        case "kind": ["opex"]
        case "category": [path.contains("/budgets/") ? "software" : "laptop"]
        case "quarter": ["2027-Q1"]
        case "currency": ["MXN"]
        case "date": ["2026-07-09"]
        case "name": ["tickets", "inventory", "depreciation", "budget", "forecast", "renewals"]
        case "type": ["incident"]
        case "priority": ["P3"]
        case "model": ["Latitude"]
        default: nil
        }
    }

    static let texts = [
        "currency": "BRL", "code": "ZZ-NEW", "country": "BR", "timeZone": "America/Sao_Paulo", "rate": "1.5", "perPerson": "1",
        "rule": "end-of-life", "opens": "09:00", "closes": "18:00", "startDate": "2026-06-10", "firstShiftStarts": "06:00",
        "sha256": String(repeating: "a", count: 64), "role": "analyst", "model": "Latitude", "reason": "matrix probe", "tag": "AS-NEW9",
        "purchaseOrder": "PO-1", "quarter": "2027-Q1",
    ]

}

struct MatrixSetupFailure: Error, CustomStringConvertible { let description: String }

extension JSONValue {
    func mx(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    var mxText: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var mxItems: [JSONValue] {
        if case .array(let items) = self { return items }
        if case .object(let members) = self, case .array(let items)? = members["items"] { return items }
        return []
    }
}
