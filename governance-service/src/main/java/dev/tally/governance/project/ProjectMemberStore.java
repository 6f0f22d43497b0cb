package dev.tally.governance.project;

import dev.tally.events.ledger.Scope;
import dev.tally.events.ledger.ScopeLevel;
import dev.tally.governance.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.ZoneOffset;
import java.util.Locale;

@Component
public class ProjectMemberStore {

    /** The member's or group's name and kind come from its own table; ids are unique across them. */
    private static final String SELECT = """
            select pm.*, coalesce(m.name, g.name) as name, coalesce(m.kind, g.kind) as kind
            from project_member pm
            left join member m on m.id = pm.member_id
            left join grp g on g.id = pm.member_id
            """;

    private final DatabaseClient db;

    public ProjectMemberStore(DatabaseClient db) {
        this.db = db;
    }

    /** Adds the member; false when it already was one. Call in a transaction. */
    public Mono<Boolean> insert(ProjectMember m) {
        return db.sql("""
                        insert into project_member (project_id, org_id, member_level, member_id, created_at)
                        values (:project, :org, :level, :member, :at)
                        on conflict (project_id, member_id) do nothing""")
                .bind("project", m.projectId()).bind("org", m.orgId()).bind("level", m.member().level().name())
                .bind("member", m.member().id()).bind("at", m.createdAt().atOffset(ZoneOffset.UTC))
                .fetch().rowsUpdated().map(rows -> rows > 0);
    }

    public Mono<ProjectMember> find(String projectId, String memberId) {
        return db.sql(SELECT + "where pm.project_id = :project and pm.member_id = :member")
                .bind("project", projectId).bind("member", memberId).map(row -> member(row)).one();
    }

    public Flux<ProjectMember> ofProject(String projectId) {
        return db.sql(SELECT + "where pm.project_id = :project order by pm.created_at, pm.member_id")
                .bind("project", projectId).map(row -> member(row)).all();
    }

    public Flux<ProjectMember> all() {
        return db.sql(SELECT + "order by pm.project_id, pm.member_id").map(row -> member(row)).all();
    }

    /** Call in a transaction. */
    public Mono<Void> delete(ProjectMember m) {
        return db.sql("delete from project_member where project_id = :project and member_id = :member")
                .bind("project", m.projectId()).bind("member", m.member().id()).then();
    }

    private static ProjectMember member(Readable r) {
        return new ProjectMember(Sql.string(r, "project_id"), Sql.string(r, "org_id"),
                new Scope(ScopeLevel.valueOf(Sql.string(r, "member_level")), Sql.string(r, "member_id")),
                type(Sql.string(r, "kind")), Sql.string(r, "name"), Sql.instant(r, "created_at"));
    }

    /** USER, AGENT, TEAM, AGENT_GROUP as the API spells them. */
    static String type(String kind) {
        return kind == null ? null : kind.toLowerCase(Locale.ROOT);
    }
}
