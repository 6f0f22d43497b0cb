-- Projections of tally.ledger.events and tally.gateway.requests. Everything here can be dropped and rebuilt from
-- the topics (POST /admin/rebuild); no table holds anything the topics do not.

-- Idempotency: a ledger event's CloudEvents id (stable across re-sends) is recorded in the same transaction as its
-- effects, so a duplicate delivery changes nothing.
create table processed_event (
    event_id     text primary key,
    org_id       text not null,
    event_type   text not null,
    processed_at timestamptz not null default now()
);

-- One gateway request (seed 004's usage event); the request id is the record's key for idempotency.
create table request (
    request_id        text primary key,
    org_id            text not null,
    member_id         text,
    member_kind       text,
    key_id            text,
    project_id        text,
    requested_model   text,
    model             text,
    provider          text,
    stream            boolean not null,
    priority          text,
    outcome           text not null,
    http_status       int not null,
    error_code        text,
    budget_id         text,
    prompt_tokens     bigint not null,
    completion_tokens bigint not null,
    reserved_credits  bigint not null,
    charged_credits   bigint not null,
    latency_ms        bigint not null,
    occurred_at       timestamptz not null
);
create index request_org_time on request (org_id, occurred_at desc);
create index request_org_member_time on request (org_id, member_id, occurred_at);

-- Double entry of every ledger movement per account: purchases, adjustments and refunds in, charges out,
-- transfers out of one account and into another. A balance is the sum of its rows.
create table ledger_entry (
    event_id    text not null,
    leg         int not null,
    org_id      text not null,
    account_id  text not null,
    delta       bigint not null,
    kind        text not null,
    occurred_at timestamptz not null,
    primary key (event_id, leg)
);
create index ledger_entry_org on ledger_entry (org_id, account_id);

-- Reservations not yet settled, released or expired: credits held but not spent.
create table open_reservation (
    reservation_id text primary key,
    org_id         text not null,
    credits        bigint not null,
    reserved_at    timestamptz not null
);
create index open_reservation_org on open_reservation (org_id);

create table budget (
    budget_id          text primary key,
    org_id             text not null,
    scope_level        text not null,
    scope_id           text not null,
    period             text not null,
    limit_credits      bigint not null,
    thresholds_percent text not null,
    auto_disable       boolean not null,
    removed            boolean not null default false,
    defined_at         timestamptz not null
);
create index budget_org on budget (org_id);

-- What each charge counted against, per node of the charge's scope chain: the spend a budget on that node sees.
create table scope_spend (
    event_id    text not null,
    org_id      text not null,
    scope_level text not null,
    scope_id    text not null,
    credits     bigint not null,
    occurred_at timestamptz not null,
    primary key (event_id, scope_level, scope_id)
);
create index scope_spend_scope on scope_spend (org_id, scope_level, scope_id, occurred_at);

-- Threshold crossings and exhaustions, as the ledger announced them.
create table budget_alert (
    event_id          text primary key,
    org_id            text not null,
    budget_id         text not null,
    kind              text not null,
    scope_level       text not null,
    scope_id          text not null,
    period            text not null,
    window_start      date not null,
    threshold_percent int,
    spent_credits     bigint not null,
    limit_credits     bigint not null,
    occurred_at       timestamptz not null
);
create index budget_alert_org on budget_alert (org_id, occurred_at desc);

-- Reallocations between accounts, and the ones the ledger refused.
create table transfer (
    event_id        text primary key,
    org_id          text not null,
    from_account_id text not null,
    to_account_id   text not null,
    credits         bigint not null,
    actor           text,
    reason          text,
    refused         boolean not null,
    occurred_at     timestamptz not null
);
create index transfer_org on transfer (org_id, occurred_at desc);
