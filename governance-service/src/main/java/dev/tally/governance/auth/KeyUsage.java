package dev.tally.governance.auth;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

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
