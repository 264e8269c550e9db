import Kernel

enum ITServiceDeskMigrations {
    static let all: [Migration] = [
        Migration(
            "0001-sites", "offices with their business calendars and cost centers",
            [
                """
                CREATE TABLE it_sites (
                    id TEXT PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    country TEXT NOT NULL,
                    region TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    fiscal_year_start_month INTEGER NOT NULL,
                    hours TEXT NOT NULL,
                    national_holidays BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                "CREATE INDEX it_sites_region ON it_sites(region, code)",
                """
                CREATE TABLE it_site_holidays (
                    site_id TEXT NOT NULL REFERENCES it_sites(id),
                    day TEXT NOT NULL,
                    name TEXT NOT NULL,
                    PRIMARY KEY (site_id, day)
                )
                """,
                """
                CREATE TABLE it_cost_centers (
                    id TEXT PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    site_id TEXT NOT NULL REFERENCES it_sites(id),
                    created_at BIGINT NOT NULL
                )
                """,
            ]),
        Migration(
            "0002-tickets", "IT tickets, their SLA clocks, links and history; assignment groups and agents",
            [
                """
                CREATE TABLE it_groups (
                    id TEXT PRIMARY KEY,
                    region TEXT NOT NULL,
                    name TEXT NOT NULL,
                    categories TEXT NOT NULL,
                    strategy TEXT NOT NULL,
                    required_skill TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL,
                    UNIQUE (region, name)
                )
                """,
                """
                CREATE TABLE it_agents (
                    user_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    region TEXT NOT NULL,
                    skills TEXT NOT NULL,
                    capacity INTEGER NOT NULL,
                    active_tickets INTEGER NOT NULL,
                    last_assigned_at BIGINT NOT NULL,
                    available BOOLEAN NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE it_group_members (
                    group_id TEXT NOT NULL REFERENCES it_groups(id),
                    user_id TEXT NOT NULL REFERENCES it_agents(user_id),
                    PRIMARY KEY (group_id, user_id)
                )
                """,
                "CREATE INDEX it_group_members_user ON it_group_members(user_id, group_id)",
                """
                CREATE TABLE it_sla_targets (
                    type TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    own_minutes INTEGER NOT NULL,
                    resolve_minutes INTEGER NOT NULL,
                    updated_at BIGINT NOT NULL,
                    PRIMARY KEY (type, priority)
                )
                """,
                """
                CREATE TABLE it_tickets (
                    id TEXT PRIMARY KEY,
                    reference TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    category TEXT NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT NOT NULL,
                    site_id TEXT NOT NULL REFERENCES it_sites(id),
                    region TEXT NOT NULL,
                    impact INTEGER NOT NULL,
                    urgency INTEGER NOT NULL,
                    priority TEXT NOT NULL,
                    status TEXT NOT NULL,
                    requester TEXT NOT NULL,
                    group_id TEXT,
                    assignee TEXT,
                    assignee_actor TEXT,
                    parent_id TEXT REFERENCES it_tickets(id),
                    approval TEXT NOT NULL,
                    approval_by TEXT,
                    approval_at BIGINT,
                    approval_note TEXT,
                    pending_reason TEXT,
                    resolution TEXT,
                    resolved_at BIGINT,
                    closed_at BIGINT,
                    satisfaction INTEGER,
                    satisfaction_comment TEXT,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                "CREATE INDEX it_tickets_region_status ON it_tickets(region, status, created_at, id)",
                "CREATE INDEX it_tickets_site_status ON it_tickets(site_id, status, created_at, id)",
                "CREATE INDEX it_tickets_created ON it_tickets(created_at, id)",
                "CREATE INDEX it_tickets_parent ON it_tickets(parent_id, status)",
                "CREATE INDEX it_tickets_assignee ON it_tickets(assignee, status)",
                """
                CREATE TABLE it_ticket_clocks (
                    ticket_id TEXT NOT NULL REFERENCES it_tickets(id),
                    kind TEXT NOT NULL,
                    target_seconds BIGINT NOT NULL,
                    spent_seconds BIGINT NOT NULL,
                    running_since BIGINT,
                    due_at BIGINT,
                    stopped_at BIGINT,
                    breached_at BIGINT,
                    PRIMARY KEY (ticket_id, kind)
                )
                """,
                // Only clocks still to watch: the breach scanner reads a short range, however long the history.
                "CREATE INDEX it_ticket_clocks_watch ON it_ticket_clocks(due_at) WHERE running_since IS NOT NULL AND breached_at IS NULL",
                """
                CREATE TABLE it_ticket_links (
                    from_id TEXT NOT NULL REFERENCES it_tickets(id),
                    to_type TEXT NOT NULL,
                    to_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    PRIMARY KEY (from_id, kind, to_type, to_id)
                )
                """,
                "CREATE INDEX it_ticket_links_to ON it_ticket_links(to_type, to_id)",
                """
                CREATE TABLE it_ticket_history (
                    id TEXT PRIMARY KEY,
                    ticket_id TEXT NOT NULL REFERENCES it_tickets(id),
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    text TEXT,
                    details TEXT NOT NULL
                )
                """,
                "CREATE INDEX it_ticket_history_ticket ON it_ticket_history(ticket_id, at, id)",
            ]),
        Migration(
            "0003-assets", "asset models, assets, their history and imports",
            [
                """
                CREATE TABLE it_asset_models (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    manufacturer TEXT NOT NULL,
                    category TEXT NOT NULL,
                    expected_life_months INTEGER NOT NULL,
                    unit_cost BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    depreciation TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE it_assets (
                    id TEXT PRIMARY KEY,
                    tag TEXT NOT NULL UNIQUE,
                    serial TEXT UNIQUE,
                    model_id TEXT NOT NULL REFERENCES it_asset_models(id),
                    category TEXT NOT NULL,
                    status TEXT NOT NULL,
                    site_id TEXT NOT NULL REFERENCES it_sites(id),
                    cost_center_id TEXT,
                    assigned_to TEXT,
                    location TEXT,
                    supplier TEXT,
                    purchase_order TEXT,
                    invoice TEXT,
                    purchase_date TEXT NOT NULL,
                    cost BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    salvage BIGINT NOT NULL,
                    life_months INTEGER NOT NULL,
                    depreciation TEXT NOT NULL,
                    warranty_end TEXT,
                    check_in_due TEXT,
                    last_audit TEXT,
                    next_audit_due TEXT,
                    disposal_method TEXT,
                    disposal_value BIGINT,
                    retired_on TEXT,
                    import_id TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                // The asset list: by site and status in tag order, a page is an index range. A list by
                // status alone walks the tag index and skips the others: every index here is paid for
                // by each of a million imported rows.
                "CREATE INDEX it_assets_site_status ON it_assets(site_id, status, tag)",
                """
                CREATE TABLE it_asset_history (
                    id TEXT PRIMARY KEY,
                    asset_id TEXT NOT NULL REFERENCES it_assets(id),
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    from_status TEXT,
                    to_status TEXT,
                    details TEXT NOT NULL
                )
                """,
                "CREATE INDEX it_asset_history_asset ON it_asset_history(asset_id, at, id)",
                """
                CREATE TABLE it_asset_imports (
                    id TEXT PRIMARY KEY,
                    file_name TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    finished_at BIGINT,
                    row_count INTEGER NOT NULL,
                    created INTEGER NOT NULL,
                    updated INTEGER NOT NULL,
                    unchanged INTEGER NOT NULL,
                    rejected INTEGER NOT NULL,
                    errors TEXT NOT NULL
                )
                """,
            ]),
        Migration(
            "0004-finance", "exchange rates, budget lines, expenses and budget alerts",
            [
                """
                CREATE TABLE it_exchange_rates (
                    currency TEXT NOT NULL,
                    effective_on TEXT NOT NULL,
                    rate TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    PRIMARY KEY (currency, effective_on)
                )
                """,
                """
                CREATE TABLE it_budget_lines (
                    id TEXT PRIMARY KEY,
                    fiscal_year INTEGER NOT NULL,
                    cost_center_id TEXT NOT NULL REFERENCES it_cost_centers(id),
                    kind TEXT NOT NULL,
                    category TEXT NOT NULL,
                    amount BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL,
                    UNIQUE (fiscal_year, cost_center_id, kind, category)
                )
                """,
                """
                CREATE TABLE it_expenses (
                    id TEXT PRIMARY KEY,
                    spent_on TEXT NOT NULL,
                    cost_center_id TEXT NOT NULL REFERENCES it_cost_centers(id),
                    kind TEXT NOT NULL,
                    category TEXT NOT NULL,
                    amount BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    source TEXT NOT NULL,
                    source_ref TEXT NOT NULL,
                    description TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    created_by TEXT NOT NULL,
                    UNIQUE (source, source_ref)
                )
                """,
                "CREATE INDEX it_expenses_line ON it_expenses(cost_center_id, kind, category, spent_on)",
                """
                CREATE TABLE it_budget_alerts (
                    budget_line_id TEXT NOT NULL REFERENCES it_budget_lines(id),
                    threshold INTEGER NOT NULL,
                    raised_at BIGINT NOT NULL,
                    actual BIGINT NOT NULL,
                    budget BIGINT NOT NULL,
                    PRIMARY KEY (budget_line_id, threshold)
                )
                """,
            ]),
        Migration(
            "0005-contracts", "contracts and leases of the offices",
            [
                """
                CREATE TABLE it_contracts (
                    id TEXT PRIMARY KEY,
                    reference TEXT NOT NULL UNIQUE,
                    vendor TEXT NOT NULL,
                    type TEXT NOT NULL,
                    title TEXT NOT NULL,
                    site_id TEXT NOT NULL REFERENCES it_sites(id),
                    region TEXT NOT NULL,
                    cost_center_id TEXT REFERENCES it_cost_centers(id),
                    start_date TEXT NOT NULL,
                    initial_term_months INTEGER NOT NULL,
                    renewal_term_months INTEGER NOT NULL,
                    notice_days INTEGER,
                    notice_months INTEGER,
                    tacit_renewal BOOLEAN NOT NULL,
                    billing_period_months INTEGER NOT NULL,
                    billing_amount BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    circuit_id TEXT,
                    bandwidth_mbps INTEGER,
                    provider TEXT,
                    notice_given_on TEXT,
                    alert_days INTEGER NOT NULL,
                    last_alert_deadline TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                "CREATE INDEX it_contracts_site ON it_contracts(site_id, reference)",
                """
                CREATE TABLE it_contract_assets (
                    contract_id TEXT NOT NULL REFERENCES it_contracts(id),
                    asset_id TEXT NOT NULL REFERENCES it_assets(id),
                    PRIMARY KEY (contract_id, asset_id)
                )
                """,
            ]),
        Migration(
            "0006-requirements", "IT requirements and their response plans",
            [
                """
                CREATE TABLE it_requirements (
                    id TEXT PRIMARY KEY,
                    reference TEXT NOT NULL UNIQUE,
                    requester TEXT NOT NULL,
                    title TEXT NOT NULL,
                    business_need TEXT NOT NULL,
                    site_id TEXT NOT NULL REFERENCES it_sites(id),
                    region TEXT NOT NULL,
                    desired_date TEXT,
                    priority TEXT NOT NULL,
                    estimated_cost BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    status TEXT NOT NULL,
                    decision_reason TEXT,
                    decided_by TEXT,
                    decided_at BIGINT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                "CREATE INDEX it_requirements_region ON it_requirements(region, status, created_at, id)",
                """
                CREATE TABLE it_plan_tasks (
                    id TEXT PRIMARY KEY,
                    requirement_id TEXT NOT NULL REFERENCES it_requirements(id),
                    position INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    due_date TEXT NOT NULL,
                    status TEXT NOT NULL,
                    progress INTEGER NOT NULL,
                    depends_on TEXT NOT NULL,
                    budget_line_id TEXT REFERENCES it_budget_lines(id),
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                "CREATE INDEX it_plan_tasks_requirement ON it_plan_tasks(requirement_id, position)",
            ]),
        Migration(
            "0007-forecast", "headcount plans, devices per person and replacement policies for the purchase forecast",
            [
                """
                CREATE TABLE it_headcount_plans (
                    site_id TEXT NOT NULL REFERENCES it_sites(id),
                    quarter TEXT NOT NULL,
                    delta INTEGER NOT NULL,
                    PRIMARY KEY (site_id, quarter)
                )
                """,
                """
                CREATE TABLE it_device_ratios (
                    model_id TEXT PRIMARY KEY REFERENCES it_asset_models(id),
                    per_person TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE it_replacement_policies (
                    category TEXT PRIMARY KEY,
                    rule TEXT NOT NULL
                )
                """,
            ]),
        Migration(
            "0008-asset-history-text", "asset history lines carry text like ticket and case histories (the shared history table shape)",
            [
                "ALTER TABLE it_asset_history ADD COLUMN text TEXT"
            ]),
        Migration(
            "0009-tickets-by-requester", "a person's own tickets, newest first (the console's \"my tickets\" for those who raise but do not work tickets)",
            [
                "CREATE INDEX it_tickets_requester ON it_tickets(requester, created_at, id)"
            ]),
    ]
}
