import Foundation
import Kernel

extension IncidentOpsModule {
    public static var consoleResources: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }

    public func consolePages() -> [ConsolePage] {
        DashboardPage().all + QueuePages().all + CasePages().all + CaseLinkPages().all + HandoverPages().all + RosterPages().all + SOPPages().all
            + QAPages().all + ReportPages().all
    }
}
