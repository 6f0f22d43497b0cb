package dev.tally.notification.delivery;

import java.time.Instant;

/**
 * The intent to send one alert to one channel, stored before anything is sent.
 *
 * @param deferredUntil set while quiet hours hold the delivery back
 * @param lastError     why the last attempt failed, or why it is DEAD
 */
public record Delivery(String id, String alertId, String channelId, String orgId, int escalationLevel,
        DeliveryStatus status, int attempts, Instant nextAttemptAt, Instant deferredUntil, String lastError,
        Instant createdAt, Instant updatedAt, Instant deliveredAt) {
}
