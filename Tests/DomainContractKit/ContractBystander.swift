import Kernel

/// A domain with one role and no permission, beside the domain under test: its user is signed
/// in and holds nothing, the caller every permission check must refuse (a user needs a role).
struct ContractBystanderModule: DomainModule {
    static let id: DomainID = "contract-bystander"
    static let title = "The contract kit's bystander"
    static let role: Role = "contract-bystander"
    static var roles: [RoleDescriptor] { [.init(role, "Bystander", "Signed in, allowed nothing")] }
    init(context: DomainContext) {}
}
