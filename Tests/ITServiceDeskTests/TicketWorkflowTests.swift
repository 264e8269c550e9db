import Foundation
import IncidentOps
import ITServiceDesk
import Kernel
import Testing
import VigilTesting

@Suite struct TicketWorkflowTests {
    @Test func changeIsImplementedOnlyAfterAnotherManagerApprovesIt() async throws {
        let desk = try await ITDeskFixture.make()
        let server = try await LiveServer.start(desk.test.runtime)
        let agent = try await desk.test.user("agent@x.com", roles: [.itAgent], regions: .only([desk.sp]))
        let lead = try await desk.test.user("lead@x.com", roles: [.itManager], regions: .only([desk.sp]))
        let other = try await desk.test.user("cio@x.com", roles: [.itManager], regions: .only([desk.sp]))
        let asAgent = TestClient(baseURL: server.baseURL, token: agent.token)
        let asLead = TestClient(baseURL: server.baseURL, token: lead.token)
        let asOther = TestClient(baseURL: server.baseURL, token: other.token)

        let raised = try await asLead.post(
            "/api/it-service-desk/tickets",
            """
            {"type":"change","category":"network","title":"Replace core switch","description":"Swap the 3rd floor core switch on Saturday.","site":"SP-HQ","impact":1,"urgency":3}
            """)
        #expect(raised.status == 201)
        let change = try raised.decode(Ticket.self)
        #expect(change.approval == .pending && change.priority == "P3")

        let early = try await asAgent.post(
            "/api/it-service-desk/tickets/\(change.reference)/transition", #"{"status":"in-progress"}"#, headers: ["If-Match": "\"\(change.version)\""])
        #expect(early.status == 409)
        #expect(early.text.contains("only after an IT manager approves"))
        let earlyResolve = try await asAgent.post(
            "/api/it-service-desk/tickets/\(change.reference)/transition", #"{"status":"resolved","note":"done"}"#,
            headers: ["If-Match": "\"\(change.version)\""])
        #expect(earlyResolve.status == 409)
        // Agents cannot approve; the manager who raised it cannot either.
        #expect(
            try await asAgent.post(
                "/api/it-service-desk/tickets/\(change.reference)/approval", #"{"decision":"approve"}"#, headers: ["If-Match": "\"\(change.version)\""]
            ).status == 403)
        #expect(
            try await asLead.post(
                "/api/it-service-desk/tickets/\(change.reference)/approval", #"{"decision":"approve"}"#, headers: ["If-Match": "\"\(change.version)\""]
            ).status == 403)
        let noReason = try await asOther.post(
            "/api/it-service-desk/tickets/\(change.reference)/approval", #"{"decision":"reject"}"#, headers: ["If-Match": "\"\(change.version)\""])
        #expect(noReason.status == 422 && noReason.problemFields == ["note:required"])
        let stillPending = try await desk.tickets.get(change.id, by: desk.test.runtime.systemPrincipal("t"))
        #expect(stillPending.approval == .pending && stillPending.version == change.version)

        let approved = try await asOther.post(
            "/api/it-service-desk/tickets/\(change.reference)/approval", #"{"decision":"approve","note":"Window Saturday 08:00"}"#,
            headers: ["If-Match": "\"\(change.version)\""])
        #expect(approved.status == 200)
        let afterApproval = try approved.decode(Ticket.self)
        #expect(afterApproval.approval == .approved && afterApproval.approvalBy == "user:cio@x.com")
        let started = try await asAgent.post(
            "/api/it-service-desk/tickets/\(change.reference)/transition", #"{"status":"in-progress"}"#,
            headers: ["If-Match": "\"\(afterApproval.version)\""])
        #expect(started.status == 200)
        let implementing = try started.decode(Ticket.self)
        #expect(implementing.status == .inProgress && implementing.assigneeActor == "user:agent@x.com")
        let audit = try await desk.test.runtime.audit.timeline(of: EntityRef("it-service-desk.ticket", change.id)).map(\.action)
        #expect(audit == ["it-service-desk.ticket.open", "it-service-desk.change.approve", "it-service-desk.ticket.in-progress"])
        try await server.stop()
        await desk.close()
    }

    @Test func parentCannotResolveOrCloseWhileAChildIsOpen() async throws {
        let desk = try await ITDeskFixture.make()
        let parent = try await desk.incident(title: "Office network down")
        let child = try await desk.incident(type: "request", category: "network", title: "Reconfigure VLAN", parent: parent.reference)
        #expect(child.parentId == parent.id)
        let refused = await #expect(throws: VigilError.self) { () async throws in _ = try await desk.move(parent, to: .resolved, note: "fixed") }
        #expect(refused?.kind == .conflict && refused?.detail.contains(child.reference) == true)
        let unchanged = try await desk.tickets.get(parent.id, by: desk.test.runtime.systemPrincipal("t"))
        #expect(unchanged.status == .new && unchanged.version == parent.version)
        let links = try await desk.tickets.links(parent.reference, by: desk.test.runtime.systemPrincipal("t"))
        #expect(links.map(\.kind) == ["child"] && links.first?.target == child.reference)

        _ = try await desk.move(child, to: .resolved, note: "VLAN done")
        let resolved = try await desk.move(parent, to: .resolved, note: "switch replaced")
        #expect(resolved.status == .resolved)
        let closed = try await desk.move(resolved, to: .closed)
        #expect(closed.status == .closed && closed.closedAt != nil)
        // A closed ticket is final.
        let final = await #expect(throws: VigilError.self) { () async throws in _ = try await desk.move(closed, to: .inProgress) }
        #expect(final?.kind == .conflict)
        // A loop is refused: the parent cannot become its child's child.
        let a = try await desk.incident(title: "A")
        let b = try await desk.incident(title: "B", parent: a.reference)
        let loop = await #expect(throws: VigilError.self) { () async throws in
            _ = try await desk.tickets.link(a.reference, kind: .parent, to: b.reference, by: desk.test.system())
        }
        #expect(loop?.kind == .validation)
        await desk.close()
    }

    @Test(arguments: TestEngine.available)
    func groupsAssignWithTheSharedStrategiesAndRespectCapacity(_ engine: TestEngine) async throws {
        let desk = try await ITDeskFixture.make(engine)
        let system = desk.test.system()
        _ = try await desk.groups.createGroup(
            GroupInput(region: "BR-SP", name: "Field IT", categories: ["hardware", "printing"], strategy: "least-loaded"), by: system)
        _ = try await desk.groups.createGroup(
            GroupInput(region: "BR-SP", name: "Network", categories: ["network"], strategy: "skill-based", requiredSkill: "cisco"), by: system)
        _ = try await desk.groups.createGroup(GroupInput(region: "BR-SP", name: "Service desk", categories: [], strategy: "round-robin"), by: system)
        for (email, skills, groups) in [
            ("ana@x.com", [String](), ["Field IT"]), ("bia@x.com", [], ["Field IT", "Service desk"]), ("caio@x.com", ["cisco"], ["Network"]),
        ] {
            _ = try await desk.test.user(email, roles: [.itAgent], regions: .only([desk.sp]))
            _ = try await desk.groups.setAgent(AgentInput(email: email, region: "BR-SP", skills: skills, capacity: 2, groups: groups), by: system)
        }
        var owners: [String] = []
        for index in 0..<4 { owners.append(try await desk.incident(title: "Laptop \(index)").assigneeActor ?? "none") }
        // Least loaded alternates, and at capacity (2 each) the ticket waits in the group.
        #expect(owners.sorted() == ["user:ana@x.com", "user:ana@x.com", "user:bia@x.com", "user:bia@x.com"])
        let waiting = try await desk.incident(title: "Laptop 5")
        #expect(waiting.assigneeActor == nil && waiting.status == .new && waiting.groupId != nil)
        let history = try await desk.tickets.history(waiting.id, by: desk.test.runtime.systemPrincipal("t"))
        #expect(history.items.last?.text?.contains("at capacity") == true)
        let network = try await desk.incident(category: "network", title: "Wi-Fi drops")
        #expect(network.assigneeActor == "user:caio@x.com")
        let networkHistory = try await desk.tickets.history(network.id, by: desk.test.runtime.systemPrincipal("t"))
        guard case .object(let details)? = networkHistory.items.last?.details, case .string(let reason)? = details["reason"] else {
            Issue.record("no reason"); return
        }
        #expect(reason.contains("has cisco"))
        // Telephony has no group of its own: the catch-all takes it (Bia is full, so it waits there).
        let phone = try await desk.incident(category: "telephony", title: "Desk phone dead")
        let catchAll = try await desk.groups.groups(region: desk.sp, by: desk.test.runtime.systemPrincipal("t")).first { $0.name == "Service desk" }
        #expect(phone.groupId == catchAll?.id && phone.assigneeActor == nil)
        // Resolving frees capacity.
        let first = try await desk.tickets.list(TicketFilter(assigneeActor: "user:ana@x.com"), page: PageRequest(), by: desk.test.runtime.systemPrincipal("t"))
            .items[0]
        _ = try await desk.move(first, to: .resolved, note: "reimaged")
        let agents = try await desk.groups.agents(region: desk.sp, by: desk.test.runtime.systemPrincipal("t"))
        #expect(agents.first { $0.actor == "user:ana@x.com" }?.activeTickets == 1)
        await desk.close()
    }

    @Test func linksJoinTheRightTypesAndTheRequesterRatesOnce() async throws {
        let desk = try await ITDeskFixture.make()
        let requester = try await desk.test.user("maria@x.com", roles: [.analyst], regions: .only([desk.sp]))
        let asMaria = desk.test.invocation(requester.principal)
        let incident = try await desk.incident(title: "Outlook crashes", by: asMaria)
        #expect(incident.requester == "user:maria@x.com")
        let problem = try await desk.incident(type: "problem", category: "software", title: "Outlook add-in faulty")
        let change = try await desk.incident(type: "change", category: "software", title: "Remove the add-in")
        let links = try await desk.tickets.link(incident.reference, kind: .problem, to: problem.reference, by: desk.test.system())
        #expect(links.map(\.target) == [problem.reference])
        _ = try await desk.tickets.link(change.reference, kind: .change, to: problem.reference, by: desk.test.system())
        let problemLinks = try await desk.tickets.links(problem.reference, by: desk.test.runtime.systemPrincipal("t"))
        #expect(Set(problemLinks.map(\.target)) == [incident.reference, change.reference])
        let wrong = await #expect(throws: VigilError.self) { () async throws in
            _ = try await desk.tickets.link(incident.reference, kind: .change, to: problem.reference, by: desk.test.system())
        }
        #expect(wrong?.kind == .validation)

        // Maria sees her own ticket without the read permission, and rates it once resolved.
        let early = await #expect(throws: VigilError.self) { () async throws in
            _ = try await desk.tickets.survey(incident.id, score: 5, comment: nil, by: asMaria)
        }
        #expect(early?.kind == .conflict)
        _ = try await desk.move(incident, to: .resolved, note: "add-in removed")
        let rated = try await desk.tickets.survey(incident.reference, score: 4, comment: "Quick, thanks", by: asMaria)
        #expect(rated.satisfaction == 4 && rated.satisfactionComment == "Quick, thanks")
        let twice = await #expect(throws: VigilError.self) { () async throws in
            _ = try await desk.tickets.survey(incident.reference, score: 1, comment: nil, by: asMaria)
        }
        #expect(twice?.kind == .conflict)
        let notHers = await #expect(throws: VigilError.self) { () async throws in
            _ = try await desk.tickets.survey(problem.reference, score: 1, comment: nil, by: asMaria)
        }
        // Another's ticket answers as a missing one: without the read permission she may not
        // learn that it exists.
        #expect(notHers?.kind == .notFound)
        await desk.close()
    }
}
