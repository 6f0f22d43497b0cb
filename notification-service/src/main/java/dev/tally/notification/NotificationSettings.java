package dev.tally.notification;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param channelKey        the AES-256 keys that encrypt channel secrets (TALLY_CHANNEL_KEY: one base64 key, or
 *                          {@code <key-id>:<base64>} entries while a key is rotated); governance's BYOK key is another
 * @param channelKeyCurrent the id of the key that seals (TALLY_CHANNEL_KEY_CURRENT); blank when there is one key
 * @param telegramApiUrl    the Bot API's base URL; tests point it at a local receiver
 * @param pollInterval      how often due deliveries and escalations are looked for
 * @param lease             how long a worker owns a claimed delivery; after a crash another takes it up
 * @param maxAttempts       attempts per delivery, the first included, before it is DEAD
 * @param backoffJitter     each retry waits the exponential delay randomised by +/- this fraction
 * @param escalationDelay   how long a CRITICAL alert may stay unacknowledged before the next level hears of it
 * @param maxAlertAge       alerts older than this on arrival are recorded, not sent (a replay into a new database)
 * @param refusalThreshold  refused reservations of one organisation within {@code refusalWindow} that make an alert
 * @param breakerOpenFor    how long a channel's open circuit breaker refuses calls before it tries again
 */
@ConfigurationProperties("tally.notification")
public record NotificationSettings(String channelKey, String channelKeyCurrent, String telegramApiUrl,
        Duration pollInterval, int batchSize, int workerThreads, Duration lease, Duration sendTimeout, int maxAttempts,
        Duration initialBackoff, double backoffMultiplier, double backoffJitter, Duration maxBackoff,
        Duration escalationDelay, Duration maxAlertAge, int refusalThreshold, Duration refusalWindow,
        int breakerFailureRate, int breakerMinimumCalls, Duration breakerOpenFor) {
}
