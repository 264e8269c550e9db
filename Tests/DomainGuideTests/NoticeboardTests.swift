import DomainContractKit
import Foundation
import JSONCoding
import Kernel
import Testing
import VigilTesting

/// The guide's domain: the contract in one line, then its one rule.
@Suite struct NoticeboardTests {
    @Test(arguments: TestEngine.available)
    func keepsTheDomainContract(_ engine: TestEngine) async throws {
        try await DomainContract.verify(NoticeboardModule.self, samples: NoticeboardSamples(), on: engine)
    }

    @Test(arguments: TestEngine.available)
    func aBoardHoldsFivePinnedNoticesAtMost(_ engine: TestEngine) async throws {
        let test = try await TestRuntime.make(engine, domains: [NoticeboardModule.self])
        do {
            let notices = NoticeService(context: test.runtime.context(for: NoticeboardModule.id))
            let editor = try await test.user("editor@board.test", roles: [.noticeEditor], regions: .only([RegionCode("BR-SP")!]))
            let by = test.invocation(editor.principal)
            for n in 1...5 { _ = try await notices.post(NoticeInput(region: RegionCode("BR-SP")!, title: "Pinned \(n)", body: "", pinned: true), by: by) }
            let sixth = try await notices.post(NoticeInput(region: RegionCode("BR-SP")!, title: "Sixth", body: "", pinned: nil), by: by)
            await #expect(throws: VigilError.self) { try await notices.update(sixth.id, NoticeChange(pinned: true), expectedVersion: 1, by: by) }
            #expect(try await notices.get(sixth.id, by: editor.principal).pinned == false)
            // Another region's board has room of its own.
            _ = try await notices.post(NoticeInput(region: RegionCode("MX-CMX")!, title: "Elsewhere", body: "", pinned: true), by: test.system())
        } catch {
            await test.close()
            throw error
        }
        await test.close()
    }
}

/// The CLI through the Kernel's command runtime: `post` from the domain, `list` from the Kernel
/// (`ListCommand<Notice>`), with its table, its pages and its JSON.
@Suite struct NoticeCommandTests {
    @Test func postThenListAPageAtATime() async throws {
        let test = try await TestRuntime.make(domains: [NoticeboardModule.self])
        let output = CapturedOutput()
        try await CommandRuntime.$override.withValue(TestCommandEnvironment(test: test, output: output)) {
            for title in ["Rain tonight", "Stadium event"] {
                try await NoticeCommand.Post.parse(["--region", "BR-SP", "--title", title, "--body", "", "--pinned"]).run()
            }
            try await NoticeCommand.Post.parse(["--region", "MX-CMX", "--title", "Marcha", "--body", ""]).run()
            #expect(output.text.contains("Rain tonight") && output.text.contains("PINNED"))

            let page = CapturedOutput()
            try await CommandRuntime.$override.withValue(TestCommandEnvironment(test: test, output: page)) {
                try await ListCommand<Notice>.parse(["--region", "BR-SP", "--limit", "1"]).run()
            }
            // Newest first, one of BR-SP's two, and the way to the next page.
            #expect(page.text.contains("Stadium event") && !page.text.contains("Rain tonight") && !page.text.contains("Marcha"))
            let cursor = try #require(page.text.split(separator: "\n").first { $0.hasPrefix("more: --cursor ") }?.dropFirst("more: --cursor ".count))
            let next = CapturedOutput()
            try await CommandRuntime.$override.withValue(TestCommandEnvironment(test: test, output: next)) {
                try await ListCommand<Notice>.parse(["--region", "BR-SP", "--limit", "1", "--cursor", String(cursor), "--json"]).run()
            }
            let json = ContractJSON(value: try JSONValue.parse(Data(next.text.utf8)))
            #expect(json.items.map { $0["title"].text } == ["Rain tonight"] && json["nextCursor"].value == .null)
        }
        await #expect(throws: (any Error).self) { try await ListCommand<Notice>.parse(["--region", "Brazil"]).run() }
        await test.close()
    }
}

struct NoticeboardSamples: ContractSamples {
    func seed(_ admin: ContractAdmin, in region: RegionCode) async throws -> ContractRecords {
        let notice = try await admin.send("POST", "/api/noticeboard/notices", #"{"region":"\#(region)","title":"Rain tonight","body":"Expect delays"}"#)
        let id = notice["id"].text ?? ""
        return ContractRecords(paths: ["notices/{id}": id], words: [id, "Rain tonight"])
    }

    func body(for operationID: String, _ records: ContractRecords) -> String? {
        switch operationID {
        case "postNotice": #"{"region":"BR-SP","title":"Stadium event","body":"Traffic around Morumbi","pinned":true}"#
        case "updateNotice": #"{"pinned":true}"#
        default: nil
        }
    }
}
