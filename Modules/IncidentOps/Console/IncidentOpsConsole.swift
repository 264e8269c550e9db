import Foundation
import Kernel

extension IncidentOpsModule {
    public static var consoleResources: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }

    public func consolePages() -> [ConsolePage] {
        DashboardPage().all + QueuePages().all + CasePages().all + HandoverPages().all
    }
}
