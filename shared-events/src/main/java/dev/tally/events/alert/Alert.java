package dev.tally.events.alert;

import java.time.Instant;

/**
 * Something people should hear about, on {@code tally.alerts} (key: org id). Any service may publish one;
 * notification-service delivers it to the organisation's channels.
 *
 * @param alertId    deterministic for what it reports (e.g. budget + window + threshold), so a replayed or repeated
 *                   alert is recognised and delivered once
 * @param budgetId   the budget the alert is about, if any; channels scoped to a budget receive only its alerts
 * @param groupId    the team or agent group the alert is about, if any; channels scoped to a group use it
 * @param memberId   the user or agent the alert is about, if any
 * @param approvalId the approval request the alert is about, if any
 */
public record Alert(String alertId, String orgId, AlertKind kind, AlertSeverity severity, String title, String text,
        String budgetId, String groupId, String memberId, String approvalId, Instant occurredAt) {
}
