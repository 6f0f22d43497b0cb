-- A budget's exhaustion in its current window is read from the ledger's BudgetExhausted alert (BudgetQueries): the
-- moment the limit was reached, which must not move with the clock. This finds it without scanning an org's alerts.
create index budget_alert_exhausted on budget_alert (org_id, budget_id, window_start) where kind = 'EXHAUSTED';
