-- The balances projection: rebuilt from the event store by the ledger-balances processor, checked by verify.
CREATE TABLE ledger_view (
    ledger_id              VARCHAR(255) NOT NULL PRIMARY KEY,
    critical_overdraft_limit BIGINT     NOT NULL,
    events_applied         BIGINT       NOT NULL,
    last_event_at          TIMESTAMPTZ  NOT NULL,
    -- The folded state, so the projection resumes after a restart without replaying the ledger.
    state                  BYTEA        NOT NULL
);

CREATE TABLE ledger_account (
    ledger_id  VARCHAR(255) NOT NULL,
    account_id VARCHAR(255) NOT NULL,
    kind       VARCHAR(20)  NOT NULL,
    balance    BIGINT       NOT NULL,
    reserved   BIGINT       NOT NULL,
    PRIMARY KEY (ledger_id, account_id)
);

CREATE TABLE ledger_reservation (
    ledger_id      VARCHAR(255) NOT NULL,
    reservation_id VARCHAR(255) NOT NULL,
    credits        BIGINT       NOT NULL,
    priority       VARCHAR(20)  NOT NULL,
    expires_at     TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (ledger_id, reservation_id)
);
CREATE INDEX ledger_reservation_expiry ON ledger_reservation (expires_at);

CREATE TABLE ledger_budget (
    ledger_id        VARCHAR(255) NOT NULL,
    budget_id        VARCHAR(255) NOT NULL,
    scope_level      VARCHAR(20)  NOT NULL,
    scope_id         VARCHAR(255) NOT NULL,
    period           VARCHAR(20)  NOT NULL,
    limit_credits    BIGINT       NOT NULL,
    window_start     DATE         NOT NULL,
    charged_credits  BIGINT       NOT NULL,
    reserved_credits BIGINT       NOT NULL,
    PRIMARY KEY (ledger_id, budget_id)
);
