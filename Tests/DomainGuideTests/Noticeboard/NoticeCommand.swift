import ArgumentParser
import Kernel

/// `vigil noticeboard notice post|list`: the same service as the API, as the host's admin or `--as`.
struct NoticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notice", abstract: "Notices on the regions' boards.", subcommands: [Post.self, ListCommand<Notice>.self])

    struct Post: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post", abstract: "Post a notice.",
            discussion: "Example: vigil noticeboard notice post --region BR-SP --title 'Rain' --body 'Expect delays'")
        @OptionGroup var global: GlobalOptions
        @Option(transform: ArgumentValue.region) var region: RegionCode
        @Option var title: String
        @Option var body: String
        @Flag var pinned = false

        func run() async throws {
            try await CommandRuntime.run(global, domain: NoticeboardModule.id) { session in
                let notice = try await NoticeService(context: session.context).post(
                    NoticeInput(region: region, title: title, body: body, pinned: pinned), by: session.invocation)
                try session.output.emit(notice) { try Table.of([notice], columns: Notice.tableColumns) }
            }
        }
    }
}
