import Foundation
import DomainContractKit
import ITServiceDesk
import Kernel
import Testing
import VigilTesting

/// The domain contract (DomainContractKit), on both engines.
@Suite struct ITServiceDeskContractTests {
    @Test(arguments: TestEngine.available)
    func keepsTheDomainContract(_ engine: TestEngine) async throws {
        try await DomainContract.verify(ITServiceDeskModule.self, samples: ITServiceDeskSamples(), on: engine)
    }
}

/// An office in São Paulo on 2026-01-15 (the test clock): a cost center with a budget, a holiday,
/// a model and a laptop bought on a purchase order and lent out, a group and its agent, an
/// incident, a change awaiting approval, a resolved ticket, a link contract and two requirements
/// (one planned with a task, one new).
struct ITServiceDeskSamples: ContractSamples {
    static let agent = "contract.agent@contract.test"

    func seed(_ admin: ContractAdmin, in region: RegionCode) async throws -> ContractRecords {
        let it = "/api/it-service-desk"
        try await admin.send(
            "POST", "\(it)/sites",
            #"{"code":"SP-KIT","name":"Kit office","country":"BR","region":"\#(region)","timeZone":"America/Sao_Paulo","currency":"BRL"}"#)
        try await admin.send("POST", "\(it)/sites/SP-KIT/cost-centers", #"{"code":"CC-KIT","name":"Kit IT"}"#)
        try await admin.send("POST", "\(it)/sites/SP-KIT/holidays", #"{"date":"2026-07-09","name":"Revolução Constitucionalista"}"#)
        try await admin.send("PUT", "\(it)/budgets/2026/CC-KIT/opex/software", #"{"amount":1000000,"currency":"BRL"}"#)
        try await admin.send(
            "POST", "\(it)/asset-models",
            #"{"name":"KitLaptop","manufacturer":"Lenovo","category":"laptop","expectedLifeMonths":36,"unitCost":500000,"currency":"BRL"}"#)
        let asset = try await admin.send(
            "POST", "\(it)/assets",
            #"{"tag":"AS-KIT1","model":"KitLaptop","site":"SP-KIT","costCenter":"CC-KIT","purchaseDate":"2026-01-10","cost":450000,"currency":"BRL","purchaseOrder":"PO-KIT","warrantyEnd":"2026-03-01"}"#
        )
        try await admin.user(Self.agent, roles: [.itAgent])
        try await admin.send("POST", "\(it)/assets/AS-KIT1/check-out", #"{"to":"\#(Self.agent)"}"#, ifMatch: asset["version"].int)
        let group = try await admin.send("POST", "\(it)/groups", #"{"region":"\#(region)","name":"Kit group","categories":[],"strategy":"round-robin"}"#)
        try await admin.send("PUT", "\(it)/agents", #"{"email":"\#(Self.agent)","region":"\#(region)","skills":[],"capacity":9,"groups":["Kit group"]}"#)
        // A change is approved by an IT manager other than whoever raised it: the agent raises it.
        let requester = try await admin.acting(as: "contract.requester@contract.test", roles: [.itAgent])
        func ticket(_ type: String, _ title: String, as author: ContractAdmin? = nil) async throws -> ContractJSON {
            try await (author ?? admin).send(
                "POST", "\(it)/tickets",
                #"{"type":"\#(type)","category":"hardware","title":"\#(title)","description":"Kit ticket","site":"SP-KIT","impact":2,"urgency":2}"#)
        }
        let incident = try await ticket("incident", "Laptop does not boot")
        let change = try await ticket("change", "Replace the switch", as: requester)
        var resolved = try await ticket("incident", "Printer jammed")
        let resolvedID = resolved["id"].text ?? ""
        for step in [#"{"status":"in-progress"}"#, #"{"status":"resolved","note":"Cleared"}"#] {
            resolved = try await admin.send("POST", "\(it)/tickets/\(resolvedID)/transition", step, ifMatch: resolved["version"].int)
        }
        let contract = try await admin.send(
            "POST", "\(it)/contracts",
            #"{"vendor":"Vivo","type":"network-link-lease","title":"Kit link","site":"SP-KIT","costCenter":"CC-KIT","start":"2026-01-01","initialTermMonths":12,"noticeDays":30,"tacitRenewal":true,"billingPeriodMonths":1,"billingAmount":1000,"currency":"BRL"}"#
        )
        func requirement(_ title: String) async throws -> ContractJSON {
            try await admin.send(
                "POST", "\(it)/requirements",
                #"{"title":"\#(title)","businessNeed":"Analysts move in","site":"SP-KIT","priority":"medium","estimatedCost":100000,"currency":"BRL"}"#)
        }
        var planned = try await requirement("Wi-Fi in wing A")
        let plannedID = planned["id"].text ?? ""
        planned = try await admin.send("POST", "\(it)/requirements/\(plannedID)/triage", #"{"decision":"accepted"}"#, ifMatch: planned["version"].int)
        planned = try await admin.send(
            "POST", "\(it)/requirements/\(plannedID)/tasks", #"{"title":"Survey","owner":"\#(Self.agent)","dueDate":"2026-12-20"}"#)
        let fresh = try await requirement("Wi-Fi in wing B")
        let imported = try await admin.client.request(
            "POST", "\(it)/imports/assets?name=kit.csv",
            body: Data("tag,model,site,purchase_date,cost,currency\nAS-KIT8,KitLaptop,SP-KIT,2026-01-11,4500.00,BRL\n".utf8),
            headers: ["Content-Type": "text/csv"])
        let importID = imported.json?[member: "id"]?.text ?? ""
        let ids =
            [incident, change, resolved, contract, planned, fresh, group].compactMap { $0["id"].text }
            + [incident, change, resolved].compactMap {
                $0["reference"].text
            }
        return ContractRecords(
            paths: [
                "{tag}": "AS-KIT1", "sites/{code}": "SP-KIT", "{fiscalYear}": "2026", "{costCenter}": "CC-KIT", "{kind}": "opex",
                "{kind}/{category}": "software", "replacement-rules/{category}": "laptop", "contracts/{id}": contract["id"].text ?? "", "assets/{id}": importID,
                "requirements/{id}": plannedID, "{task}": planned["tasks"].items.first?["id"].text ?? "", "tickets/{id}": incident["id"].text ?? "",
                "{currency}": "MXN", "{model}": "KitLaptop", "{site}": "SP-KIT", "{quarter}": "2027-Q1", "{date}": "2026-07-09",
                "{name}": "tickets", "{type}": "incident", "{priority}": "P3",
            ],
            queries: [
                "listExpenses": "from=2026-01-01&to=2026-12-31", "assetAttention": "kind=warranty-ending", "budgetAgainstActual": "fiscalYear=2026",
                "depreciationByCostCenter": "fiscalYear=2026", "itReportDocument": "fiscalYear=2026",
            ],
            words: Set(ids + ["SP-KIT", "CC-KIT", "AS-KIT1"]),
            operationPaths: [
                "decideChange": "/tickets/\(change["id"].text ?? "")/approval",
                "rateTicket": "/tickets/\(resolvedID)/survey",
                "triageRequirement": "/requirements/\(fresh["id"].text ?? "")/triage",
            ],
            ifMatch: ["updatePlanTask": planned["tasks"].items.first?["version"].int ?? 1])
    }

    func body(for operationID: String, _ records: ContractRecords) -> String? {
        switch operationID {
        case "addCostCenter": #"{"code":"CC-KIT2","name":"Kit facilities"}"#
        case "addPlanTask": #"{"title":"Cabling","owner":"\#(Self.agent)","dueDate":"2026-12-22"}"#
        case "addSiteHoliday": #"{"date":"2026-11-20","name":"Consciência Negra"}"#
        case "assignTicket": #"{"assignee":"\#(Self.agent)"}"#
        case "auditAsset": #"{"note":"Seen on the desk"}"#
        case "bulkAssets": #"{"action":"audit","tags":["AS-KIT1"],"note":"Kit round"}"#
        case "checkInAsset": #"{"note":"Back"}"#
        case "checkOutAsset": #"{"to":"\#(Self.agent)"}"#
        case "createAsset":
            #"{"tag":"AS-KIT2","model":"KitLaptop","site":"SP-KIT","purchaseDate":"2026-01-12","cost":450000,"currency":"BRL"}"#
        case "createAssetModel":
            #"{"name":"KitMonitor","manufacturer":"Dell","category":"monitor","expectedLifeMonths":60,"unitCost":90000,"currency":"BRL"}"#
        case "createContract":
            #"{"vendor":"Claro","type":"printer-lease","title":"Kit printers","site":"SP-KIT","start":"2026-02-01","initialTermMonths":24,"noticeDays":60,"tacitRenewal":false,"billingPeriodMonths":1,"billingAmount":2000,"currency":"BRL"}"#
        case "createGroup": #"{"region":"BR-SP","name":"Kit network","categories":["network"],"strategy":"least-loaded"}"#
        case "createRequirement":
            #"{"title":"Badge readers","businessNeed":"Security","site":"SP-KIT","priority":"high","estimatedCost":200000,"currency":"BRL"}"#
        case "createSite":
            #"{"code":"RJ-KIT","name":"Kit Rio","country":"BR","region":"BR-SP","timeZone":"America/Sao_Paulo","currency":"BRL"}"#
        case "decideChange": #"{"decision":"approve","note":"Window agreed"}"#
        case "expensesFromPurchaseOrder": #"{"purchaseOrder":"PO-KIT"}"#
        case "importAssets": "tag,model,site,purchase_date,cost,currency\nAS-KIT9,KitLaptop,SP-KIT,2026-01-11,4500.00,BRL\n"
        case "linkTicket": #"{"kind":"asset","target":"AS-KIT1"}"#
        case "openTicket":
            #"{"type":"request","category":"access","title":"VPN access","description":"New analyst","site":"SP-KIT","impact":3,"urgency":3}"#
        case "postContractCosts": #"{"through":"2026-01-31"}"#
        case "rateTicket": #"{"score":5,"comment":"Quick"}"#
        case "recordExpense":
            #"{"spentOn":"2026-01-14","costCenter":"CC-KIT","kind":"opex","category":"software","amount":5000,"currency":"BRL","description":"Licences"}"#
        case "setAgent": #"{"email":"\#(Self.agent)","region":"BR-SP","skills":["windows"],"capacity":12,"groups":["Kit group"]}"#
        case "setBudgetLine": #"{"amount":2000000,"currency":"BRL"}"#
        case "setDevicesPerPerson": #"{"perPerson":"1.5"}"#
        case "setExchangeRate": #"{"effectiveOn":"2026-01-01","rate":"0.30"}"#
        case "setHeadcountPlan": #"{"delta":3}"#
        case "setReplacementRule": #"{"rule":"end-of-life"}"#
        case "setSLATarget": #"{"ownMinutes":30,"resolveMinutes":480}"#
        case "terminateContract": #"{"noticeGivenOn":"2026-01-15"}"#
        case "transitionAsset": #"{"status":"in-repair","note":"Keyboard"}"#
        case "transitionTicket": #"{"status":"in-progress"}"#
        case "triageRequirement": #"{"decision":"deferred","reason":"Next year"}"#
        case "updatePlanTask": #"{"progress":50,"status":"doing"}"#
        case "updateSite": #"{"name":"Kit office, 3rd floor"}"#
        default: nil
        }
    }
}
