import Foundation
import IncidentOps
import Kernel
import Testing
import VigilTesting

@Suite struct LinkAndSearchTests {
    @Test func parentsCloseAfterTheirChildrenAndMergedDuplicatesKeepBothTimelines() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let cases = CaseService(context: test.runtime.context(for: IncidentOpsModule.id))
        let parent = try await cases.open(CaseIntakeTests.input(severity: "S2", description: "Pile-up on Marginal Pinheiros"), by: test.system())
        let child = try await cases.open(CaseIntakeTests.input(severity: "S3", description: "Rider injured in the pile-up"), by: test.system())
        let links = try await cases.link(child.id, kind: "child-of", to: parent.reference, by: test.system())
        #expect(links.map(\.kind) == [.childOf] && links[0].reference == parent.reference)
        #expect(try await cases.links(parent.id, by: test.runtime.systemPrincipal("t")).map(\.kind) == [.parentOf])
        _ = try await cases.transition(parent.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 1, by: test.system())
        let refused = await #expect(throws: VigilError.self) {
            try await cases.transition(parent.id, TransitionInput(to: "closed"), expectedVersion: 2, by: test.system())
        }
        #expect(refused?.detail.contains(child.reference) == true)
        _ = try await cases.transition(child.id, TransitionInput(to: "resolved", resolutionCode: "resolved"), expectedVersion: 1, by: test.system())
        _ = try await cases.transition(child.id, TransitionInput(to: "closed"), expectedVersion: 2, by: test.system())
        #expect(try await cases.transition(parent.id, TransitionInput(to: "closed"), expectedVersion: 2, by: test.system()).status == .closed)

        let original = try await cases.open(CaseIntakeTests.input(description: "Phone stolen from rider"), by: test.system())
        let duplicate = try await cases.open(CaseIntakeTests.input(description: "Same theft reported again by the client"), by: test.system())
        _ = try await cases.addNote(duplicate.id, NoteInput(text: "Client called twice"), by: test.system())
        let merged = try await cases.merge(duplicate.id, into: original.reference, by: test.system())
        #expect(merged.status == .closed && merged.resolutionCode == .duplicate)
        let combined = try await cases.mergedTimeline(original.id, by: test.runtime.systemPrincipal("t"))
        #expect(combined.contains { $0.caseId == duplicate.id && $0.text == "Client called twice" })
        #expect(combined.contains { $0.caseId == original.id && $0.kind == .link })
        #expect(
            try await cases.timeline(duplicate.id, page: PageRequest(), by: test.runtime.systemPrincipal("t")).items.contains {
                $0.text == "Client called twice"
            })
        await #expect(throws: VigilError.self) { try await cases.merge(duplicate.id, into: original.id, by: test.system()) }
        #expect(try await cases.checkClocks(nil, by: test.runtime.systemPrincipal("t")).mismatches.isEmpty)
        await test.close()
    }

    @Test func aSensitiveCaseIsInvisibleToAPlainAnalystInListCountDetailAndSearch() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let cases = CaseService(context: test.runtime.context(for: IncidentOpsModule.id))
        _ = try await cases.open(CaseIntakeTests.input(description: "Harassment of a rider by a client"), by: test.system())
        let hidden = try await cases.open(CaseIntakeTests.input(sensitive: true, description: "Harassment of a rider by a manager"), by: test.system())
        let plain = try await test.user("plain@x.com", roles: [.analyst], regions: .only([RegionCode("BR-SP")!]))
        let cleared = try await test.user("spec@x.com", roles: [.specialist], regions: .only([RegionCode("BR-SP")!]))
        let search = try CaseFilter.parse(
            region: nil, status: nil, severity: nil, businessLine: nil, category: nil, sensitive: nil, createdFrom: nil, createdBefore: nil, text: "harassment")
        #expect(try await cases.list(search, page: PageRequest(), by: plain.principal).items.count == 1)
        #expect(try await cases.list(search, page: PageRequest(), by: cleared.principal).items.count == 2)
        #expect(try await cases.count(search, by: plain.principal) == 1)
        #expect(try await cases.count(search, by: cleared.principal) == 2)
        #expect(try await cases.count(CaseFilter(sensitive: true), by: plain.principal) == 0)
        await #expect(throws: VigilError.self) { try await cases.get(hidden.reference, by: plain.principal) }
        let byReference = try CaseFilter.parse(
            region: nil, status: nil, severity: nil, businessLine: nil, category: nil, sensitive: nil, createdFrom: nil, createdBefore: nil,
            text: hidden.reference)
        #expect(try await cases.list(byReference, page: PageRequest(), by: plain.principal).items.isEmpty)
        #expect(try await cases.list(byReference, page: PageRequest(), by: cleared.principal).items.map(\.id) == [hidden.id])
        await test.close()
    }
}

@Suite struct ContactAndAttachmentTests {
    @Test func aContactIsTheFirstActionAndAttachmentsKeepTheirMetadata() async throws {
        let test = try await TestRuntime.make(domains: [IncidentOpsModule.self])
        let cases = CaseService(context: test.runtime.context(for: IncidentOpsModule.id))
        let incident = try await cases.open(CaseIntakeTests.input(severity: "S2"), by: test.system())
        test.clock.advance(by: 120)
        _ = try await cases.recordContact(
            incident.id, ContactInput(channel: "whatsapp", with: "rider", outcome: "reached", note: "Rider is safe"), by: test.system())
        let clocks = try await cases.clocks(incident.id, by: test.runtime.systemPrincipal("t"))
        #expect(clocks.first { $0.clock == "first-action" }?.state == "met")
        await #expect(throws: VigilError.self) {
            try await cases.recordContact(incident.id, ContactInput(channel: "pigeon", with: "rider", outcome: "reached"), by: test.system())
        }
        let entry = try await cases.recordAttachment(
            incident.id,
            AttachmentInput(
                fileName: "bo-123.pdf", contentType: "application/pdf", sizeBytes: 48_213,
                sha256: String(repeating: "a", count: 64)), by: test.system())
        #expect(entry.kind == .attachment && entry.details.jsonText.contains("bo-123.pdf"))
        await #expect(throws: VigilError.self) {
            try await cases.recordAttachment(
                incident.id, AttachmentInput(fileName: "../etc/passwd", contentType: "text", sizeBytes: -1, sha256: "xyz"), by: test.system())
        }
        #expect(try await cases.checkClocks(incident.id, by: test.runtime.systemPrincipal("t")).mismatches.isEmpty)
        await test.close()
    }
}
