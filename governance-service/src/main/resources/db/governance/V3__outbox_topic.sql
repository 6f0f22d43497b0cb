-- The state outbox also carries alerts for tally.alerts (approvals requested and decided); null means
-- tally.governance.state, as every row before this migration.
alter table state_outbox add column topic text;
