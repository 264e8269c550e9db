import ArgumentParser
import Kernel

/// `vigil noticeboard notice post|list`: the same service as the API, as the host's admin or `--as`.
struct NoticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notice", abstract: "Notices on the regions' boards.", subcommands: [Post.self, List.self])

    static func table(_ notices: [Notice]) -> Table {
        Table(["id", "region", "pinned", "title"], notices.map { [$0.id, $0.region.rawValue, $0.pinned ? "yes" : "", $0.title] })
    }

    struct Post: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post", abstract: "Post a notice.",
            discussion: "Example: vigil noticeboard notice post --region BR-SP --title 'Rain' --body 'Expect delays'")
        @OptionGroup var global: GlobalOptions
        @Option var region: String
        @Option var title: String
        @Option var body: String
        @Flag var pinned = false

        func run() async throws {
            try await CommandRuntime.run(global, domain: NoticeboardModule.id) { session in
                let notice = try await NoticeService(context: session.context).post(
                    NoticeInput(region: region, title: title, body: body, pinned: pinned), by: session.invocation)
                try session.output.emit(notice) { NoticeCommand.table([notice]) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List notices, newest first.")
        @OptionGroup var global: GlobalOptions
        @Option(transform: ArgumentValue.region) var region: RegionCode?

        func run() async throws {
            try await CommandRuntime.run(global, domain: NoticeboardModule.id) { session in
                let page = try await NoticeService(context: session.context).list(region: region, page: PageRequest(), by: session.principal)
                try session.output.emit(page) { NoticeCommand.table(page.items) }
            }
        }
    }
}
