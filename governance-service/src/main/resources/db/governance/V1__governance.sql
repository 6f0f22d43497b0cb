-- Ids are UUIDv7 text created by the service. Statuses and levels are the enum names of shared-events.

create table org (
    id                       text primary key,
    name                     text        not null,
    slug                     text        not null unique,
    description              text,
    status                   text        not null,
    credits_per_usd          bigint      not null,
    critical_overdraft_limit bigint      not null,
    created_at               timestamptz not null,
    updated_at               timestamptz not null
);

create table workspace (
    id         text primary key,
    org_id     text        not null references org (id),
    name       text        not null,
    status     text        not null,
    is_default boolean     not null default false,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (org_id, name)
);

-- Teams (people sharing a pool) and agent groups; a team's pool is a ledger account with the group's id.
create table grp (
    id           text primary key,
    org_id       text        not null references org (id),
    workspace_id text        not null references workspace (id),
    kind         text        not null,
    name         text        not null,
    description  text,
    status       text        not null,
    pool_credits bigint      not null default 0,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    unique (workspace_id, name)
);

-- Users and agents. A user's personal allocation is a ledger account with the member's id.
create table member (
    id             text primary key,
    org_id         text        not null references org (id),
    workspace_id   text        not null references workspace (id),
    group_id       text references grp (id),
    kind           text        not null,
    name           text        not null,
    email          text,
    status         text        not null,
    personal_quota bigint      not null default 0,
    group_admin    boolean     not null default false,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);
create unique index member_email_per_org on member (org_id, lower(email)) where email is not null;
create index member_group on member (group_id);

create table project (
    id          text primary key,
    org_id      text        not null references org (id),
    name        text        not null,
    description text,
    status      text        not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    unique (org_id, name)
);

-- Gateway keys (cpk_) of agents and users; only the SHA-256 of the key is kept.
create table api_key (
    id         text primary key,
    org_id     text        not null references org (id),
    member_id  text        not null references member (id),
    name       text        not null,
    key_hash   text        not null unique,
    key_suffix text        not null,
    status     text        not null,
    created_at timestamptz not null,
    revoked_at timestamptz
);
create index api_key_member on api_key (member_id);

-- Admin keys (tadm_): platform admins have no org.
create table admin_key (
    id         text primary key,
    org_id     text references org (id),
    role       text        not null,
    name       text        not null,
    key_hash   text        not null unique,
    key_suffix text        not null,
    status     text        not null,
    created_at timestamptz not null,
    revoked_at timestamptz
);

create table policy (
    id           text primary key,
    org_id       text        not null references org (id),
    target_level text        not null,
    target_id    text        not null,
    name         text        not null,
    rules        jsonb       not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);
create index policy_target on policy (target_level, target_id);

create table budget (
    id            text primary key,
    org_id        text        not null references org (id),
    target_level  text        not null,
    target_id     text        not null,
    name          text,
    period        text        not null,
    limit_credits bigint      not null,
    thresholds    jsonb       not null,
    auto_disable  boolean     not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);
create index budget_target on budget (target_level, target_id);

create table price (
    provider           text           not null,
    model              text           not null,
    input_usd_per_1k   numeric(20, 10) not null,
    output_usd_per_1k  numeric(20, 10) not null,
    updated_at         timestamptz    not null,
    primary key (provider, model)
);

create table credential (
    id         text primary key,
    org_id     text        not null references org (id),
    provider   text        not null,
    label      text        not null,
    ciphertext text        not null,
    last_four  text        not null,
    status     text        not null,
    created_at timestamptz not null,
    revoked_at timestamptz
);

create table approval (
    id            text primary key,
    org_id        text        not null references org (id),
    member_id     text        not null references member (id),
    group_id      text references grp (id),
    amount        bigint      not null,
    reason        text        not null,
    status        text        not null,
    requested_at  timestamptz not null,
    decided_by    text,
    decided_at    timestamptz,
    decision_note text,
    transfer_id   text
);
create index approval_pending on approval (org_id, status);

-- Every credit movement governance asked the ledger for, with the ledger's answer.
create table credit_transfer (
    id           text primary key,
    org_id       text        not null references org (id),
    kind         text        not null,
    from_account text,
    to_account   text        not null,
    amount       bigint      not null,
    reason       text,
    actor        text        not null,
    status       text        not null,
    detail       text,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);
create index credit_transfer_org on credit_transfer (org_id, created_at desc);

create table audit_log (
    seq         bigserial primary key,
    org_id      text,
    actor       text        not null,
    action      text        not null,
    target_type text        not null,
    target_id   text        not null,
    detail      jsonb,
    at          timestamptz not null
);
create index audit_log_org on audit_log (org_id, seq);

-- Transactional outboxes: staged in the same transaction as the change, relayed after commit and on a timer, so a
-- crash between the commit and Kafka loses nothing.
create table state_outbox (
    seq       bigserial primary key,
    state_key text        not null,
    ce_type   text        not null,
    payload   bytea,
    staged_at timestamptz not null
);

create table ledger_outbox (
    command_id   text primary key,
    ledger_id    text        not null,
    ce_type      text        not null,
    payload      bytea       not null,
    status       text        not null,
    reason       text,
    detail       text,
    attempts     int         not null default 0,
    staged_at    timestamptz not null,
    last_sent_at timestamptz,
    answered_at  timestamptz
);
create index ledger_outbox_pending on ledger_outbox (status, staged_at) where status = 'PENDING';
