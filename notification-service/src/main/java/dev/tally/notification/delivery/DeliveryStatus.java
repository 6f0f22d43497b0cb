package dev.tally.notification.delivery;

/** PENDING: not tried yet (or held by quiet hours); FAILED: tried, will retry; DELIVERED; DEAD: gave up. */
public enum DeliveryStatus {
    PENDING,
    FAILED,
    DELIVERED,
    DEAD
}
