-- A caller-chosen key per transfer, so a retried POST answers the first transfer instead of moving credits twice.
-- Keys are scoped per organisation; transfers made without one (allocations, approvals) leave it null.
alter table credit_transfer add column idempotency_key text;
create unique index credit_transfer_idempotency_key on credit_transfer (org_id, idempotency_key)
    where idempotency_key is not null;
