import ArgumentParser
import Kernel

/// The smallest real domain, the one docs/NEW-DOMAIN.md builds step by step: notices a desk
/// coordinator pins to a region's board. It lives beside its tests so that the guide's code is
/// compiled and checked by the contract kit on every `make test`.
public struct NoticeboardModule: DomainModule {
    public static let id: DomainID = "noticeboard"
    public static let title = "Noticeboard: notices pinned to a region's desk"
    static let read: Permission = "noticeboard.notice.read"
    static let post: Permission = "noticeboard.notice.post"

    public static var permissions: [PermissionDescriptor] {
        [.init(read, "Read the notices of one's regions", readOnly: true), .init(post, "Post and edit notices")]
    }
    public static var roles: [RoleDescriptor] { [.init(.noticeEditor, "Notice editor", "Keeps a region's board up to date")] }
    public static var roleGrants: [Role: [Permission]] { [.noticeEditor: [read, post], .auditor: [read]] }
    public static var migrations: [Migration] { [NoticeStore.migration] }
    public static var commands: [any ParsableCommand.Type] { [NoticeCommand.self] }

    let notices: NoticeService
    public init(context: DomainContext) { notices = NoticeService(context: context) }
    public func endpoints() -> [Endpoint] { NoticeEndpoints(notices: notices).all }
}

extension Role {
    public static let noticeEditor: Role = "notice-editor"
}
