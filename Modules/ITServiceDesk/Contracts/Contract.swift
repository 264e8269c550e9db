import Calendars
import Foundation
import Kernel
import SQLKit

public enum ContractType: String, Codable, Sendable, StoredEnum {
    case networkLink = "network-link-lease", printerLease = "printer-lease", software = "software-subscription", maintenance, other

    /// Where its costs land in the budget.
    var spend: (kind: SpendKind, category: SpendCategory) {
        switch self {
        case .networkLink: (.opex, .links)
        case .printerLease: (.opex, .printing)
        case .software: (.opex, .software)
        case .maintenance, .other: (.opex, .services)
        }
    }
}

/// A contract or lease, with every date derived from its terms (never typed by hand).
public struct Contract: Codable, Sendable, Hashable {
    public let id: String
    public let reference: String
    public let vendor: String
    public let type: ContractType
    public let title: String
    public let site: String
    public let region: String
    public let costCenter: String?
    public let start: LocalDate
    public let initialTermMonths: Int
    public let renewalTermMonths: Int
    public let noticeDays: Int?
    public let noticeMonths: Int?
    public let tacitRenewal: Bool
    public let billingPeriodMonths: Int
    /// Minor units per billing period.
    public let billingAmount: Int64
    public let currency: String
    public let circuitId: String?
    public let bandwidthMbps: Int?
    public let provider: String?
    public let noticeGivenOn: LocalDate?
    public let alertDays: Int
    public let assets: [String]
    public let version: Int
    /// Derived on the day it was read (the site's today).
    public let state: ContractState

    /// The contract's own columns, the site's code and time zone and the cost center's code; and
    /// for the callers, the cost center's id and the deadline last alerted.
    static let select = """
        SELECT \(columns(qualifiedBy: "k")), s.code AS site, c.code AS cost_center, s.time_zone, k.cost_center_id, k.last_alert_deadline
        FROM it_contracts k JOIN it_sites s ON s.id = k.site_id LEFT JOIN it_cost_centers c ON c.id = k.cost_center_id
        """

    var terms: ContractTerms {
        ContractTerms(
            start: start, initialTermMonths: initialTermMonths, renewalTermMonths: renewalTermMonths,
            notice: noticeMonths.map(NoticePeriod.months) ?? .days(noticeDays ?? 0), tacitRenewal: tacitRenewal, noticeGivenOn: noticeGivenOn)
    }

    var regionCode: RegionCode { RegionCode(stored: region) }
}

extension Contract: StoredRow {
    /// The contract's own columns alone (no site, no assets, its state on a placeholder day): what
    /// its column list is recorded with. Rows of `select` are read by `init(_:assets:today:)`.
    public init(_ row: RowReader) throws { try self.init(row, site: "", costCenter: nil, assets: [], today: .placeholder) }

    /// From a row of `select`; its state as of `today` in the site's time zone.
    init(_ row: RowReader, assets: [String], today: (String) -> LocalDate) throws {
        try self.init(row, site: try row["site"], costCenter: try row["cost_center"], assets: assets, today: today(try row["time_zone"]))
    }

    /// The site and cost center come in apart: their codes are joined in, so they must stay out of
    /// the contract's own columns that `select` qualifies.
    private init(_ row: RowReader, site: String, costCenter: String?, assets: [String], today: LocalDate) throws {
        id = try row["id"]
        reference = try row["reference"]
        vendor = try row["vendor"]
        type = try row["type"]
        title = try row["title"]
        self.site = site
        region = try row["region"]
        self.costCenter = costCenter
        start = try row["start_date"]
        initialTermMonths = try row["initial_term_months"]
        renewalTermMonths = try row["renewal_term_months"]
        noticeDays = try row["notice_days"]
        noticeMonths = try row["notice_months"]
        tacitRenewal = try row["tacit_renewal"]
        billingPeriodMonths = try row["billing_period_months"]
        billingAmount = try row["billing_amount"]
        currency = try row["currency"]
        circuitId = try row["circuit_id"]
        bandwidthMbps = try row["bandwidth_mbps"]
        provider = try row["provider"]
        noticeGivenOn = try row["notice_given_on"]
        alertDays = try row["alert_days"]
        version = try row["version"]
        self.assets = assets
        let terms = ContractTerms(
            start: start, initialTermMonths: initialTermMonths, renewalTermMonths: renewalTermMonths,
            notice: noticeMonths.map(NoticePeriod.months) ?? .days(noticeDays ?? 0), tacitRenewal: tacitRenewal, noticeGivenOn: noticeGivenOn)
        state = ContractCalendar.state(of: terms, on: today, alertDays: alertDays)
    }
}

public struct ContractInput: Codable, Sendable {
    public var vendor: String
    public var type: String
    public var title: String
    public var site: String
    public var costCenter: String?
    public var start: String
    public var initialTermMonths: Int
    public var renewalTermMonths: Int?
    public var noticeDays: Int?
    public var noticeMonths: Int?
    public var tacitRenewal: Bool
    public var billingPeriodMonths: Int
    public var billingAmount: Int64
    public var currency: String
    public var circuitId: String?
    public var bandwidthMbps: Int?
    public var provider: String?
    public var alertDays: Int?
    /// Asset tags (leased printers, routers).
    public var assets: [String]?

    public init(
        vendor: String, type: String, title: String, site: String, costCenter: String? = nil, start: String, initialTermMonths: Int,
        renewalTermMonths: Int? = nil,
        noticeDays: Int? = nil, noticeMonths: Int? = nil, tacitRenewal: Bool, billingPeriodMonths: Int, billingAmount: Int64, currency: String,
        circuitId: String? = nil, bandwidthMbps: Int? = nil, provider: String? = nil, alertDays: Int? = nil, assets: [String]? = nil
    ) {
        self.vendor = vendor
        self.type = type
        self.title = title
        self.site = site
        self.costCenter = costCenter
        self.start = start
        self.initialTermMonths = initialTermMonths
        self.renewalTermMonths = renewalTermMonths
        self.noticeDays = noticeDays
        self.noticeMonths = noticeMonths
        self.tacitRenewal = tacitRenewal
        self.billingPeriodMonths = billingPeriodMonths
        self.billingAmount = billingAmount
        self.currency = currency
        self.circuitId = circuitId
        self.bandwidthMbps = bandwidthMbps
        self.provider = provider
        self.alertDays = alertDays
        self.assets = assets
    }
}

/// `it-service-desk.contract.notice-due`: a contract's notice deadline is near.
public struct ContractNoticeDue: DomainEventPayload, Equatable {
    public static let eventType = "it-service-desk.contract.notice-due"
    public static let eventVersion = 1
    public let contractId: String
    public let reference: String
    public let vendor: String
    public let noticeDeadline: LocalDate
    public let termEnd: LocalDate
}
