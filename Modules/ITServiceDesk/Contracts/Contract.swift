import Calendars
import Foundation
import Kernel
import SQLKit

public enum ContractType: String, Codable, Sendable, CaseIterable {
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

    static let select = """
        SELECT k.id, k.reference, k.vendor, k.type, k.title, s.code AS site, k.region, c.code AS cost_center, k.start_date, k.initial_term_months,
            k.renewal_term_months, k.notice_days, k.notice_months, k.tacit_renewal, k.billing_period_months, k.billing_amount, k.currency, k.circuit_id,
            k.bandwidth_mbps, k.provider, k.notice_given_on, k.alert_days, k.version, s.time_zone, k.cost_center_id, k.last_alert_deadline
        FROM it_contracts k JOIN it_sites s ON s.id = k.site_id LEFT JOIN it_cost_centers c ON c.id = k.cost_center_id
        """

    init(row: any SQLRow, assets: [String], today: (String) -> LocalDate) throws {
        id = try row.decode(column: "id", as: String.self)
        reference = try row.decode(column: "reference", as: String.self)
        vendor = try row.decode(column: "vendor", as: String.self)
        type = try row.decode("type", as: ContractType.self)
        title = try row.decode(column: "title", as: String.self)
        site = try row.decode(column: "site", as: String.self)
        region = try row.decode(column: "region", as: String.self)
        costCenter = try row.optional("cost_center", as: String.self)
        start = try row.date("start_date")
        initialTermMonths = try row.decode(column: "initial_term_months", as: Int.self)
        renewalTermMonths = try row.decode(column: "renewal_term_months", as: Int.self)
        noticeDays = try row.optional("notice_days", as: Int.self)
        noticeMonths = try row.optional("notice_months", as: Int.self)
        tacitRenewal = try row.decode(column: "tacit_renewal", as: Bool.self)
        billingPeriodMonths = try row.decode(column: "billing_period_months", as: Int.self)
        billingAmount = try row.decode(column: "billing_amount", as: Int64.self)
        currency = try row.decode(column: "currency", as: String.self)
        circuitId = try row.optional("circuit_id", as: String.self)
        bandwidthMbps = try row.optional("bandwidth_mbps", as: Int.self)
        provider = try row.optional("provider", as: String.self)
        noticeGivenOn = try row.optionalDate("notice_given_on")
        alertDays = try row.decode(column: "alert_days", as: Int.self)
        version = try row.decode(column: "version", as: Int.self)
        self.assets = assets
        let terms = ContractTerms(
            start: start, initialTermMonths: initialTermMonths, renewalTermMonths: renewalTermMonths,
            notice: noticeMonths.map(NoticePeriod.months) ?? .days(noticeDays ?? 0), tacitRenewal: tacitRenewal, noticeGivenOn: noticeGivenOn)
        state = ContractCalendar.state(of: terms, on: today(try row.decode(column: "time_zone", as: String.self)), alertDays: alertDays)
    }

    var terms: ContractTerms {
        ContractTerms(
            start: start, initialTermMonths: initialTermMonths, renewalTermMonths: renewalTermMonths,
            notice: noticeMonths.map(NoticePeriod.months) ?? .days(noticeDays ?? 0), tacitRenewal: tacitRenewal, noticeGivenOn: noticeGivenOn)
    }

    var regionCode: RegionCode { RegionCode(stored: region) }
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
