package dev.tally.servicekit.auth;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.AdminRole;
import dev.tally.events.governance.GovernanceState;
import dev.tally.events.governance.KeyStatus;
import dev.tally.statereader.StateSink;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Governance's admin keys ({@code tadm_}) as published on tally.governance.state, by the SHA-256 of the key. The key
 * itself never reaches a service; a revoked key stays on the topic as REVOKED and authenticates nothing, so it is not
 * kept here, and an expired key is forgotten when it is next presented: memory holds the keys that can still open
 * something, whatever the topic's history, and an unknown key adds nothing. A service's
 * {@link dev.tally.statereader.GovernanceStateReader} feeds it as a {@link StateSink}: it takes the admin-key records
 * and ignores every other state, so a service that needs more chains its own sink after it.
 */
public class AdminKeys implements StateSink {

    public static final String PREFIX = "tadm_";
    static final String STATE_KEY_PREFIX = "admin-key:";

    private final Map<String, AdminKeyState> byHash = new ConcurrentHashMap<>();

    @Override
    public void apply(String key, GovernanceState state) {
        if (state instanceof AdminKeyState adminKey) {
            if (adminKey.status() == KeyStatus.ACTIVE) {
                byHash.put(adminKey.keyHash(), adminKey);
            } else {
                byHash.remove(adminKey.keyHash());
            }
        }
    }

    @Override
    public void remove(String key) {
        if (key != null && key.startsWith(STATE_KEY_PREFIX)) {
            byHash.remove(key.substring(STATE_KEY_PREFIX.length()));
        }
    }

    /** How many keys are held: for the bounds' tests. */
    public int size() {
        return byHash.size();
    }

    public static boolean looksLikeAdminKey(String key) {
        return key != null && key.startsWith(PREFIX);
    }

    /**
     * The caller of an active admin key; empty for anything else: another kind of key, an unknown, revoked or expired
     * key, or an organisation key that names no organisation (it could not be scoped, so it is not trusted).
     */
    public Optional<Caller> authenticate(String key) {
        if (!looksLikeAdminKey(key)) {
            return Optional.empty();
        }
        String hash = KeyHash.of(key);
        AdminKeyState state = byHash.get(hash);
        if (state == null || state.status() != KeyStatus.ACTIVE || state.role() == null) {
            return Optional.empty();
        }
        // No record arrives when a key expires: its expiry travels on its record and is checked here, at use. Once
        // past, it is dropped (unless a newer record of the key arrived meanwhile); a new expiry brings it back.
        if (state.expiresAt() != null && !Instant.now().isBefore(state.expiresAt())) {
            byHash.remove(hash, state);
            return Optional.empty();
        }
        boolean platform = state.role() == AdminRole.PLATFORM_ADMIN;
        if (!platform && state.orgId() == null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(state.role(), platform ? null : state.orgId(), state.id()));
    }
}
