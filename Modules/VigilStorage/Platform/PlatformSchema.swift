import Foundation
import Kernel

/// The platform's own tables: identity, audit, outbox, idempotency, reference counters, regions.
/// They are migrated before any domain's.
public enum PlatformSchema {
    public static let migrations: [Migration] = [
        Migration(
            "0001-identity", "users, API tokens and sessions",
            [
                """
                CREATE TABLE vigil_users (
                    id TEXT PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    password_hash TEXT,
                    roles TEXT NOT NULL,
                    regions TEXT NOT NULL,
                    active BOOLEAN NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE vigil_tokens (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES vigil_users(id),
                    name TEXT NOT NULL,
                    secret_hash TEXT NOT NULL UNIQUE,
                    prefix TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT,
                    revoked_at BIGINT,
                    last_used_at BIGINT
                )
                """,
                "CREATE INDEX vigil_tokens_user ON vigil_tokens(user_id)",
                """
                CREATE TABLE vigil_sessions (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES vigil_users(id),
                    secret_hash TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
            ]),
        Migration(
            "0002-audit", "append-only, hash-chained audit log",
            [
                """
                CREATE TABLE vigil_audit (
                    seq {{autoincrement}},
                    id TEXT NOT NULL UNIQUE,
                    at BIGINT NOT NULL,
                    domain TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    actor_kind TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity_type TEXT NOT NULL,
                    entity_id TEXT NOT NULL,
                    region TEXT,
                    changes TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    reason TEXT,
                    prev_hash TEXT,
                    hash TEXT NOT NULL
                )
                """,
                "CREATE INDEX vigil_audit_entity ON vigil_audit(entity_type, entity_id, seq)",
                "CREATE INDEX vigil_audit_at ON vigil_audit(at)",
                .dialects(
                    sqlite: "CREATE TRIGGER vigil_audit_no_update BEFORE UPDATE ON vigil_audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                    postgres: """
                        CREATE FUNCTION vigil_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
                        """
                ),
                .dialects(
                    sqlite: "CREATE TRIGGER vigil_audit_no_delete BEFORE DELETE ON vigil_audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                    postgres:
                        "CREATE TRIGGER vigil_audit_append_only BEFORE UPDATE OR DELETE ON vigil_audit FOR EACH ROW EXECUTE FUNCTION vigil_audit_append_only()"
                ),
            ]),
        Migration(
            "0003-outbox", "domain events outbox and delivery positions",
            [
                """
                CREATE TABLE vigil_outbox (
                    seq {{autoincrement}},
                    id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    domain TEXT NOT NULL,
                    subject_type TEXT,
                    subject_id TEXT,
                    region TEXT,
                    occurred_at BIGINT NOT NULL,
                    request_id TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    payload TEXT NOT NULL
                )
                """,
                "CREATE INDEX vigil_outbox_type ON vigil_outbox(type, seq)",
                """
                CREATE TABLE vigil_subscribers (
                    name TEXT PRIMARY KEY,
                    position BIGINT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at BIGINT NOT NULL,
                    last_error TEXT,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE vigil_dead_letters (
                    id TEXT PRIMARY KEY,
                    subscriber TEXT NOT NULL,
                    event_seq BIGINT NOT NULL,
                    event_id TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    error TEXT NOT NULL,
                    at BIGINT NOT NULL
                )
                """,
            ]),
        Migration(
            "0004-idempotency-sequences", "idempotency keys and human reference counters",
            [
                """
                CREATE TABLE vigil_idempotency (
                    principal TEXT NOT NULL,
                    key TEXT NOT NULL,
                    route TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    location TEXT,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (principal, key)
                )
                """,
                "CREATE INDEX vigil_idempotency_created ON vigil_idempotency(created_at)",
                """
                CREATE TABLE vigil_sequences (
                    series TEXT PRIMARY KEY,
                    value BIGINT NOT NULL
                )
                """,
            ]),
        Migration(
            "0005-regions", "regions with time zone, locale, currency and holidays",
            [
                """
                CREATE TABLE vigil_regions (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    locale TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    holidays TEXT NOT NULL
                )
                """,
                """
                INSERT INTO vigil_regions (code, name, time_zone, locale, currency, holidays) VALUES
                    ('BR-SP', 'São Paulo', 'America/Sao_Paulo', 'pt-BR', 'BRL', '[]'),
                    ('BR-RJ', 'Rio de Janeiro', 'America/Sao_Paulo', 'pt-BR', 'BRL', '[]'),
                    ('MX-CMX', 'Ciudad de México', 'America/Mexico_City', 'es-MX', 'MXN', '[]'),
                    ('CO-DC', 'Bogotá', 'America/Bogota', 'es-CO', 'COP', '[]')
                """,
            ]),
        Migration(
            "0006-request-keys-login-throttle", "Idempotency-Key claims taken in the request's own commit; sign-in throttle",
            [
                // The claim is written with the request's rows and its answer after: status, body and
                // the rest are empty meanwhile, which vigil_idempotency's NOT NULLs did not allow.
                "DROP TABLE vigil_idempotency",
                """
                CREATE TABLE vigil_request_keys (
                    principal TEXT NOT NULL,
                    key TEXT NOT NULL,
                    route TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    status INTEGER,
                    body TEXT,
                    content_type TEXT,
                    location TEXT,
                    etag TEXT,
                    PRIMARY KEY (principal, key)
                )
                """,
                "CREATE INDEX vigil_request_keys_created ON vigil_request_keys(created_at)",
                """
                CREATE TABLE vigil_login_throttle (
                    subject TEXT PRIMARY KEY,
                    failures INTEGER NOT NULL,
                    window_start BIGINT NOT NULL,
                    locked_until BIGINT
                )
                """,
            ]),
        Migration(
            "0007-console", "console sessions' last use (idle limit); each user's language, time zone and shortcut choice",
            [
                "ALTER TABLE vigil_sessions ADD COLUMN last_seen_at BIGINT",
                """
                CREATE TABLE vigil_user_preferences (
                    user_id TEXT PRIMARY KEY REFERENCES vigil_users(id),
                    language TEXT,
                    time_zone TEXT,
                    keyboard_shortcuts BOOLEAN NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
            ]),
        Migration(
            "0008-saved-filters", "each person's saved filters of the console's list pages",
            [
                """
                CREATE TABLE vigil_saved_filters (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES vigil_users(id),
                    page TEXT NOT NULL,
                    name TEXT NOT NULL,
                    query TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    UNIQUE (user_id, page, name)
                )
                """
            ]),
    ]
}
