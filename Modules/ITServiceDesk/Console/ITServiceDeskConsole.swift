import Foundation
import Kernel

extension ITServiceDeskModule {
    public static var consoleResources: URL? { Bundle.module.url(forResource: "Resources", withExtension: nil) }

    public func consolePages() -> [ConsolePage] {
        TicketPages().all + MyTicketPages().all + AssetPages().all + AssetImportPages().all + ContractPages().all + BudgetPages().all + BudgetFormPages().all
    }
}
