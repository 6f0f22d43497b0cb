-- Where alerts go. Secrets (webhook URLs with tokens, bot tokens, signing secrets, SMTP passwords) are AES-256-GCM
-- under TALLY_CREDENTIAL_KEY with the channel id as associated data; everything else is plain settings JSON.
create table channel (
    id               text primary key,
    org_id           text        not null,
    name             text        not null,
    kind             text        not null,
    scope_level      text        not null,
    scope_id         text,
    settings         text        not null,
    secret           text,
    secret_hint      text,
    min_severity     text        not null,
    escalation_level int         not null,
    quiet_start      time,
    quiet_end        time,
    quiet_zone       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    deleted_at       timestamptz
);
create index channel_org on channel (org_id) where deleted_at is null;

-- One row per alert id: the primary key is the de-duplication, so a replayed event finds its alert and sends nothing.
create table alert (
    alert_id           text primary key,
    org_id             text        not null,
    kind               text        not null,
    severity           text        not null,
    title              text        not null,
    text               text        not null,
    budget_id          text,
    group_id           text,
    member_id          text,
    approval_id        text,
    occurred_at        timestamptz not null,
    received_at        timestamptz not null,
    source             text        not null,
    suppressed         text,
    escalation_level   int,
    next_escalation_at timestamptz
);
create index alert_org on alert (org_id, received_at desc);
create index alert_escalation_due on alert (next_escalation_at) where next_escalation_at is not null;

-- The intent to send one alert to one channel, written before anything is sent: pending deliveries resume after a
-- crash. PENDING = not tried yet (or deferred by quiet hours), FAILED = tried, will retry, DELIVERED, DEAD = gave up.
create table delivery (
    id               text primary key,
    alert_id         text        not null references alert (alert_id),
    channel_id       text        not null references channel (id),
    org_id           text        not null,
    escalation_level int         not null,
    status           text        not null,
    attempts         int         not null default 0,
    next_attempt_at  timestamptz not null,
    lease_until      timestamptz,
    deferred_until   timestamptz,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    delivered_at     timestamptz,
    unique (alert_id, channel_id)
);
create index delivery_due on delivery (next_attempt_at) where status in ('PENDING', 'FAILED');
create index delivery_org on delivery (org_id, created_at desc);

create table acknowledgement (
    alert_id        text primary key references alert (alert_id),
    acknowledged_by text        not null,
    note            text,
    acknowledged_at timestamptz not null
);

-- The last status seen per member on tally.governance.state, so only a change to ON_VACATION is an alert.
create table member_status (
    member_id  text primary key,
    org_id     text        not null,
    status     text        not null,
    updated_at timestamptz not null
);
