package dev.tally.notification.auth;

import dev.tally.events.governance.AdminKeyState;
import dev.tally.events.governance.KeyStatus;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Governance's admin keys ({@code tadm_}), as published on tally.governance.state, by the SHA-256 of the key. The key
 * itself never reaches this service; a revoked key is on the topic as REVOKED and authenticates nothing.
 */
@Component
public class AdminKeys {

    public static final String PREFIX = "tadm_";

    private final Map<String, AdminKeyState> byHash = new ConcurrentHashMap<>();

    public void apply(AdminKeyState state) {
        byHash.put(state.keyHash(), state);
    }

    public void remove(String keyHash) {
        byHash.remove(keyHash);
    }

    public Optional<Caller> authenticate(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        AdminKeyState state = byHash.get(hash(key));
        if (state == null || state.status() != KeyStatus.ACTIVE) {
            return Optional.empty();
        }
        return Optional.of(new Caller(state.role(), state.orgId(), state.id()));
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
