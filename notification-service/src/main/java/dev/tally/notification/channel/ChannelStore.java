package dev.tally.notification.channel;

import dev.tally.events.alert.AlertSeverity;
import dev.tally.events.json.TallyJson;
import dev.tally.notification.quiet.QuietHours;
import dev.tally.notification.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

@Component
public class ChannelStore {

    private static final TypeReference<TreeMap<String, String>> SETTINGS = new TypeReference<>() {
    };

    private final DatabaseClient db;

    public ChannelStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Channel> insert(Channel c) {
        QuietHours quiet = c.quietHours();
        return Sql.bind(db.sql("""
                        insert into channel (id, org_id, name, kind, scope_level, scope_id, settings, secret, secret_hint,
                            min_severity, escalation_level, quiet_start, quiet_end, quiet_zone, created_at, updated_at)
                        values (:id, :org, :name, :kind, :level, :scope, :settings, :secret, :hint, :severity,
                            :escalation, :qstart, :qend, :qzone, :at, :at)"""),
                        "id", c.id(), "org", c.orgId(), "name", c.name(), "kind", c.kind().name(),
                        "level", c.scopeLevel().name(), "scope", Sql.nullable(c.scopeId(), String.class),
                        "settings", TallyJson.mapper().writeValueAsString(c.settings()),
                        "secret", Sql.nullable(c.secret(), String.class),
                        "hint", Sql.nullable(c.secretHint(), String.class), "severity", c.minSeverity().name(),
                        "escalation", c.escalationLevel(),
                        "qstart", Sql.nullable(quiet == null ? null : quiet.start(), LocalTime.class),
                        "qend", Sql.nullable(quiet == null ? null : quiet.end(), LocalTime.class),
                        "qzone", Sql.nullable(quiet == null ? null : quiet.zone().getId(), String.class),
                        "at", c.createdAt())
                .then().thenReturn(c);
    }

    /** Deleted channels too: a pending delivery to a channel deleted since must find it to give up on it. */
    public Mono<Channel> find(String id) {
        return db.sql("select * from channel where id = :id").bind("id", id).map(ChannelStore::channel).one();
    }

    public Flux<Channel> ofOrg(String orgId) {
        return db.sql("select * from channel where org_id = :org and deleted_at is null order by escalation_level, created_at")
                .bind("org", orgId).map(ChannelStore::channel).all();
    }

    public Mono<Boolean> delete(String id) {
        return Sql.bind(db.sql("update channel set deleted_at = :at, updated_at = :at where id = :id and deleted_at is null"),
                        "id", id, "at", Instant.now())
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    static Channel channel(Readable r) {
        LocalTime start = r.get("quiet_start", LocalTime.class);
        LocalTime end = r.get("quiet_end", LocalTime.class);
        String zone = Sql.string(r, "quiet_zone");
        Map<String, String> settings = TallyJson.mapper().readValue(Sql.string(r, "settings"), SETTINGS);
        return new Channel(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "name"),
                ChannelKind.valueOf(Sql.string(r, "kind")), ChannelScope.valueOf(Sql.string(r, "scope_level")),
                Sql.string(r, "scope_id"), settings, Sql.string(r, "secret"), Sql.string(r, "secret_hint"),
                AlertSeverity.valueOf(Sql.string(r, "min_severity")), Sql.intValue(r, "escalation_level"),
                start == null ? null : new QuietHours(start, end, ZoneId.of(zone)),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"), Sql.instant(r, "deleted_at"));
    }
}
