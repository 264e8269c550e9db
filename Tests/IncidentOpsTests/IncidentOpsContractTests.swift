import DomainContractKit
import IncidentOps
import Kernel
import Testing
import TrainingOps
import VigilTesting

/// The domain contract (DomainContractKit), on both engines.
@Suite struct IncidentOpsContractTests {
    @Test(arguments: TestEngine.available)
    func keepsTheDomainContract(_ engine: TestEngine) async throws {
        try await DomainContract.verify(IncidentOpsModule.self, samples: IncidentOpsSamples(), on: engine)
    }
}

/// A desk in São Paulo on 2026-01-15 (the test clock): an analyst, a queue, a runbook, three cases
/// (one to work, one to link to, one to merge away), an escalation and a handover.
struct IncidentOpsSamples: ContractSamples {
    static let analyst = "contract.analyst@contract.test"
    static let second = "contract.second@contract.test"

    func seed(_ admin: ContractAdmin, in region: RegionCode) async throws -> ContractRecords {
        let io = "/api/incident-ops"
        for analyst in [Self.analyst, Self.second] {
            try await admin.user(analyst, roles: [.analyst])
            try await admin.send(
                "PUT", "\(io)/analysts", #"{"email":"\#(analyst)","region":"\#(region)","skills":[],"languages":["pt-BR"],"capacity":9}"#)
        }
        try await admin.send(
            "POST", "\(io)/sops",
            #"{"category":"assault","title":"Runbook","steps":[{"key":"call-reporter","title":"Call","mandatory":true,"deadlineMinutes":60},{"key":"report","title":"Report","mandatory":false,"deadlineMinutes":120}]}"#
        )
        let queue = try await admin.send("POST", "\(io)/queues", #"{"region":"\#(region)","name":"Contract queue","strategy":"round-robin"}"#)
        func open(_ text: String, severity: String = "S2") async throws -> ContractJSON {
            try await admin.send(
                "POST", "\(io)/cases",
                #"{"region":"\#(region)","businessLine":"drivers","category":"assault","severity":"\#(severity)","description":"\#(text)"}"#)
        }
        let worked = try await open("Worked case", severity: "S1")
        let linked = try await open("Linked case")
        let merged = try await open("Merged case")
        // Written by the outgoing coordinator: the admin then acknowledges it as the incoming one.
        let outgoing = try await admin.acting(as: "contract.outgoing@contract.test", roles: [.shiftCoordinator])
        let handover = try await outgoing.send("POST", "\(io)/handovers", #"{"region":"\#(region)","notes":"Contract handover"}"#)
        let escalation = try await admin.send("GET", "\(io)/escalations").items.first
        let ids = [worked, linked, merged].compactMap { $0["id"].text } + [worked, linked, merged].compactMap { $0["reference"].text }
        var paths = [
            "cases/{id}": worked["id"].text ?? "", "{step}": "call-reporter", "queues/{id}": queue["id"].text ?? "",
            "handovers/{id}": handover["id"].text ?? "", "{region}": region.rawValue,
        ]
        if let escalation = escalation?["id"].text { paths["escalations/{id}"] = escalation }
        return ContractRecords(
            paths: paths,
            queries: Dictionary(
                uniqueKeysWithValues: ["coverage", "listHandovers", "listQAReviews", "roster", "taxonomy", "workload"].map { ($0, "region=\(region)") }
            )
            .merging(["deskReport": "period=month&region=\(region)"]) { first, _ in first },
            words: Set(ids + [queue["id"].text, handover["id"].text].compactMap { $0 }),
            operationPaths: [
                "mergeCase": "/cases/\(merged["id"].text ?? "")/merge",
                // The step `waive` takes is the optional one; `done` takes the mandatory one.
                "waiveCaseStep": "/cases/\(worked["id"].text ?? "")/checklist/report/waive",
            ],
            values: ["linked": linked["id"].text ?? ""])
    }

    func body(for operationID: String, _ records: ContractRecords) -> String? {
        let linked = records.values["linked"] ?? ""
        let worked = records.paths["cases/{id}"] ?? ""
        return switch operationID {
        case "setAnalyst": #"{"email":"\#(Self.analyst)","region":"BR-SP","skills":["first-aid"],"languages":["pt-BR","en"],"capacity":12}"#
        case "openCase": #"{"region":"BR-SP","businessLine":"clients","category":"fraud","severity":"S4","description":"Contract intake"}"#
        case "updateCase": #"{"description":"Updated by the contract"}"#
        case "assignCase": #"{"assignee":"\#(Self.second)"}"#
        case "recordCaseAttachment":
            #"{"fileName":"photo.jpg","contentType":"image/jpeg","sizeBytes":1000,"sha256":"\#(String(repeating: "b", count: 64))"}"#
        case "waiveCaseStep": #"{"reason":"Reported by phone"}"#
        case "recordCaseContact": #"{"channel":"phone","with":"reporter","outcome":"reached","note":"Contract contact"}"#
        case "linkCase": #"{"kind":"related","case":"\#(linked)"}"#
        case "mergeCase": #"{"into":"\#(worked)"}"#
        case "addCaseNote": #"{"text":"Contract note"}"#
        case "transitionCase": #"{"to":"in-progress"}"#
        case "setEscalationPolicy":
            #"{"categories":["assault"],"onBreach":true,"onWarning":false,"levels":[{"role":"analyst","waitMinutes":10},{"role":"coordinator"}]}"#
        case "closeEscalation": #"{"reason":"Handled"}"#
        case "generateHandover": #"{"region":"BR-SP","shiftEndsAt":"2026-01-15T06:00:00Z","notes":"Night shift"}"#
        case "sampleForQA": #"{"region":"BR-SP","perAnalyst":2}"#
        case "createQueue": #"{"region":"BR-SP","name":"Second queue","strategy":"least-loaded"}"#
        case "addShift":
            #"{"email":"\#(Self.analyst)","region":"BR-SP","role":"analyst","startsAt":"2026-02-10T08:00:00Z","endsAt":"2026-02-10T16:00:00Z"}"#
        case "addRotation": #"{"region":"BR-SP","role":"analyst","emails":["\#(Self.analyst)"],"startDate":"2026-03-10","days":2,"shiftsPerDay":1}"#
        case "setSLAPolicy":
            #"{"region":"BR-SP","businessLine":"drivers","severity":"S3","acknowledgeMinutes":30,"firstActionMinutes":60,"resolveMinutes":1440}"#
        case "publishSOP": #"{"category":"fraud","title":"Fraud runbook","steps":[{"key":"verify","title":"Verify","mandatory":true,"deadlineMinutes":60}]}"#
        case "setTaxonomy": #"{"region":"BR-SP","category":"assault","subcategories":["verbal","physical"]}"#
        default: nil
        }
    }

    var unaudited: [String: String] {
        ["rebalanceQueue": "the queue has no waiting case, so nothing moves; each assignment a rebalance makes is audited (AssignmentTests)"]
    }

    var unreached: [String: String] {
        [
            "claimCase": "the admin who runs the kit is not an analyst, and a claim is by the analyst themself",
            "scoreQAReview": "a review needs a case closed in the week before the sample; the seeded cases are open",
        ]
    }
}
