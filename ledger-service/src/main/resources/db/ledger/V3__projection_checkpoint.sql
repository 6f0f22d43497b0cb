-- The folded state is written every so many events instead of after every batch (in an organisation with thousands
-- of accounts and budgets it is hundreds of kilobytes); state_events says how many events it holds, and the
-- projection folds the rest from the event store when it loads the ledger.
ALTER TABLE ledger_view ADD COLUMN state_events BIGINT;
UPDATE ledger_view SET state_events = events_applied;
ALTER TABLE ledger_view ALTER COLUMN state_events SET NOT NULL;
