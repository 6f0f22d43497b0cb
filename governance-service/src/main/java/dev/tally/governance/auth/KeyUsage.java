package dev.tally.governance.auth;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A key's {@code last_used_at}, kept coarse: written at most once per {@code resolution} (a minute) per key and
 * replica, so that a busy key costs a database write a minute, not one per request. Admin keys and gateway keys used
 * here are marked when governance authenticates them; gateway keys used at the gateway when their request records
 * arrive ({@code GatewayKeyUsageListener}). A use never moves the time backwards.
 */
@Component
public class KeyUsage {

    private final DatabaseClient db;
    private final UsageMarks marks;

    public KeyUsage(DatabaseClient db,
            @Value("${tally.governance.key-usage-resolution:60s}") Duration resolution) {
        this.db = db;
        this.marks = new UsageMarks(resolution);
    }

    public Mono<Void> adminKeyUsed(String keyId, Instant at) {
        return mark("admin_key", keyId, at);
    }

    public Mono<Void> gatewayKeyUsed(String keyId, Instant at) {
        return mark("api_key", keyId, at);
    }

    /**
     * Gateway keys' latest uses, from a poll of the gateway's request records: the due ones in one statement, so a
     * poll costs one commit however many keys it names (with 1,000 agents each due once a minute, a commit per key
     * was most of governance's share of the gateway's traffic).
     */
    public Mono<Void> gatewayKeysUsed(Map<String, Instant> latestUses) {
        List<String> ids = new ArrayList<>();
        List<OffsetDateTime> ats = new ArrayList<>();
        latestUses.forEach((keyId, at) -> {
            if (marks.due("api_key:" + keyId, at)) {
                ids.add(keyId);
                ats.add(at.atOffset(ZoneOffset.UTC));
            }
        });
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                        update api_key k set last_used_at = u.at
                        from unnest(cast(:ids as text[]), cast(:ats as timestamptz[])) as u(id, at)
                        where k.id = u.id and (k.last_used_at is null or k.last_used_at < u.at)""")
                .bind("ids", ids.toArray(String[]::new)).bind("ats", ats.toArray(OffsetDateTime[]::new))
                .then();
    }

    private Mono<Void> mark(String table, String keyId, Instant at) {
        if (!marks.due(table + ":" + keyId, at)) {
            return Mono.empty();
        }
        return db.sql("update " + table + " set last_used_at = :at where id = :id"
                        + " and (last_used_at is null or last_used_at < :at)")
                .bind("id", keyId).bind("at", at.atOffset(ZoneOffset.UTC))
                .then();
    }
}
