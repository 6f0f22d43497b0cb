package dev.tally.governance;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * @param bootstrapAdminKey  a platform-admin key to install on start (automation); blank = create one if none exists
 * @param credentialKey      base64 of the 32-byte AES key for BYOK credentials; blank = refuse to store credentials
 * @param ledgerUrl          ledger-service's HTTP base URL, for balances
 * @param ledgerAdminKey     the admin key governance reads balances from ledger-service with: a platform admin key,
 *                           by default the bootstrap key; blank = balances answer 503
 * @param ledgerReplyTimeout how long an admin request waits for the ledger before answering "pending"
 * @param ledgerResendAfter  when an unanswered ledger command is sent again (same id, so at most once in effect)
 */
@ConfigurationProperties("tally.governance")
public record GovernanceSettings(String bootstrapAdminKey, String credentialKey, String ledgerUrl,
        String ledgerAdminKey, Duration ledgerReplyTimeout, Duration ledgerResendAfter, Duration stateRelayInterval, int statePartitions) {
}
