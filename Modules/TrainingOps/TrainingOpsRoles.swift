import Kernel

/// The training team's job titles.
extension Role {
    public static let trainingCoordinator: Role = "training-coordinator"
}
