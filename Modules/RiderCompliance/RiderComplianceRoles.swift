import Kernel

/// Rider compliance's job titles.
extension Role {
    public static let fieldSupervisor: Role = "field-supervisor"
}
