import Kernel

/// Safety liaison's job titles.
extension Role {
    public static let safetyManager: Role = "safety-manager"
}
