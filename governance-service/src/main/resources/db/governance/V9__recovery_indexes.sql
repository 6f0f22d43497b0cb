-- The recovery (LedgerOutbox.actOnUnsettledAnswers) runs every few seconds and looks only at transfers still PENDING
-- and approvals still APPROVING: few rows, found through these partial indexes however long the history grows.
create index credit_transfer_pending on credit_transfer (id) where status = 'PENDING';
create index approval_approving on approval (transfer_id) where status = 'APPROVING';
