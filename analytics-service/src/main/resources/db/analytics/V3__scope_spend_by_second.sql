-- A charge's spend per scope of its chain, summed per second instead of a row per charge and scope: five rows per
-- request were the projection's largest insert (docs/benchmarks.md). Budget windows start on whole seconds (UTC
-- days and months), so a window's spend is still exact; last_at keeps the moment of the second's latest charge, the
-- exhaustion time when a window's spend reached its limit without the ledger's BudgetExhausted (docs/analytics.md).
-- Idempotency is processed_event's, in the same transaction, as before.
create table scope_spend_by_second (
    org_id      text not null,
    scope_level text not null,
    scope_id    text not null,
    at_second   timestamptz not null,
    credits     bigint not null,
    last_at     timestamptz not null,
    primary key (org_id, scope_level, scope_id, at_second)
);

insert into scope_spend_by_second (org_id, scope_level, scope_id, at_second, credits, last_at)
select org_id, scope_level, scope_id, date_trunc('second', occurred_at), sum(credits), max(occurred_at)
from scope_spend
group by org_id, scope_level, scope_id, date_trunc('second', occurred_at);

drop table scope_spend;
alter table scope_spend_by_second rename to scope_spend;
alter index scope_spend_by_second_pkey rename to scope_spend_pkey;
