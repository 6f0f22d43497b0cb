package dev.tally.governance.hierarchy;

import dev.tally.events.governance.EntityStatus;
import dev.tally.events.governance.GroupKind;
import dev.tally.events.governance.MemberKind;
import dev.tally.events.governance.MemberStatus;
import dev.tally.governance.support.Sql;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;

/** Rows of the hierarchy tables: organisations, workspaces, groups, members and projects. */
@Component
public class HierarchyStore {

    private final DatabaseClient db;

    public HierarchyStore(DatabaseClient db) {
        this.db = db;
    }

    // organisations

    public Mono<Void> insert(Org org) {
        return Sql.bind(db.sql("""
                        insert into org (id, name, slug, description, status, credits_per_usd,
                            critical_overdraft_limit, created_at, updated_at)
                        values (:id, :name, :slug, :description, :status, :rate, :overdraft, :created, :updated)"""),
                        "id", org.id(), "name", org.name(), "slug", org.slug(),
                        "description", Sql.nullable(org.description(), String.class), "status", org.status().name(),
                        "rate", org.creditsPerUsd(), "overdraft", org.criticalOverdraftLimit(),
                        "created", at(org.createdAt()), "updated", at(org.updatedAt()))
                .then();
    }

    /**
     * Writes the columns {@code next} changes compared with {@code read}, the row the request decided on, and returns
     * the organisation as stored: a column another request changed meanwhile keeps that change
     * ({@link ChangedColumns}).
     */
    public Mono<Org> update(Org read, Org next) {
        return new ChangedColumns()
                .set("name", read.name(), next.name(), String.class)
                .set("description", read.description(), next.description(), String.class)
                .set("status", read.status().name(), next.status().name(), String.class)
                .set("credits_per_usd", read.creditsPerUsd(), next.creditsPerUsd(), Long.class)
                .update(db, "org", next.id(), next.updatedAt())
                .map(row -> org(row)).one();
    }

    public Mono<Org> org(String id) {
        return db.sql("select * from org where id = :id").bind("id", id).map(row -> org(row)).one();
    }

    public Mono<Boolean> slugTaken(String slug) {
        return db.sql("select 1 from org where slug = :slug").bind("slug", slug).map(row -> true).one()
                .defaultIfEmpty(false);
    }

    public Flux<Org> orgs(String onlyId) {
        return onlyId == null
                ? db.sql("select * from org order by id").map(row -> org(row)).all()
                : org(onlyId).flux();
    }

    // workspaces

    public Mono<Void> insert(Workspace ws) {
        return db.sql("""
                        insert into workspace (id, org_id, name, status, is_default, created_at, updated_at)
                        values (:id, :org, :name, :status, :default, :created, :updated)""")
                .bind("id", ws.id()).bind("org", ws.orgId()).bind("name", ws.name()).bind("status", ws.status().name())
                .bind("default", ws.isDefault()).bind("created", at(ws.createdAt())).bind("updated", at(ws.updatedAt()))
                .then();
    }

    /** As {@link #update(Org, Org)}. */
    public Mono<Workspace> update(Workspace read, Workspace next) {
        return new ChangedColumns()
                .set("name", read.name(), next.name(), String.class)
                .set("status", read.status().name(), next.status().name(), String.class)
                .update(db, "workspace", next.id(), next.updatedAt())
                .map(row -> workspace(row)).one();
    }

    public Mono<Workspace> workspace(String id) {
        return db.sql("select * from workspace where id = :id").bind("id", id).map(row -> workspace(row)).one();
    }

    public Mono<Workspace> defaultWorkspace(String orgId) {
        return db.sql("select * from workspace where org_id = :org and is_default").bind("org", orgId)
                .map(row -> workspace(row)).one();
    }

    public Flux<Workspace> workspaces(String orgId) {
        return db.sql("select * from workspace where org_id = :org order by id").bind("org", orgId)
                .map(row -> workspace(row)).all();
    }

    public Mono<Boolean> workspaceNameTaken(String orgId, String name) {
        return db.sql("select 1 from workspace where org_id = :org and lower(name) = lower(:name)")
                .bind("org", orgId).bind("name", name).map(row -> true).one().defaultIfEmpty(false);
    }

    // groups

    public Mono<Void> insert(Group g) {
        return Sql.bind(db.sql("""
                        insert into grp (id, org_id, workspace_id, kind, name, description, status, pool_credits,
                            created_at, updated_at)
                        values (:id, :org, :ws, :kind, :name, :description, :status, :pool, :created, :updated)"""),
                        "id", g.id(), "org", g.orgId(), "ws", g.workspaceId(), "kind", g.kind().name(),
                        "name", g.name(), "description", Sql.nullable(g.description(), String.class),
                        "status", g.status().name(), "pool", g.poolCredits(), "created", at(g.createdAt()),
                        "updated", at(g.updatedAt()))
                .then();
    }

    /**
     * As {@link #update(Org, Org)}; never {@code pool_credits}, which only the ledger's answers change (in one
     * statement, see CreditOutcomeHandler). Returns the group as stored, with its current pool, for publishing.
     */
    public Mono<Group> update(Group read, Group next) {
        return new ChangedColumns()
                .set("name", read.name(), next.name(), String.class)
                .set("description", read.description(), next.description(), String.class)
                .set("status", read.status().name(), next.status().name(), String.class)
                .update(db, "grp", next.id(), next.updatedAt())
                .map(row -> group(row)).one();
    }

    public Mono<Group> group(String id) {
        return db.sql("select * from grp where id = :id").bind("id", id).map(row -> group(row)).one();
    }

    public Flux<Group> groups(String column, String value, GroupKind kind) {
        return db.sql("select * from grp where " + column + " = :value and kind = :kind order by id")
                .bind("value", value).bind("kind", kind.name()).map(row -> group(row)).all();
    }

    public Flux<Group> groupsOfWorkspace(String workspaceId) {
        return db.sql("select * from grp where workspace_id = :ws order by id").bind("ws", workspaceId)
                .map(row -> group(row)).all();
    }

    public Mono<Boolean> groupNameTaken(String workspaceId, String name) {
        return db.sql("select 1 from grp where workspace_id = :ws and lower(name) = lower(:name)")
                .bind("ws", workspaceId).bind("name", name).map(row -> true).one().defaultIfEmpty(false);
    }

    // members

    public Mono<Void> insert(Member m) {
        return Sql.bind(db.sql("""
                        insert into member (id, org_id, workspace_id, group_id, kind, name, email, status,
                            personal_quota, group_admin, created_at, updated_at)
                        values (:id, :org, :ws, :group, :kind, :name, :email, :status, :quota, :admin,
                            :created, :updated)"""),
                        "id", m.id(), "org", m.orgId(), "ws", m.workspaceId(),
                        "group", Sql.nullable(m.groupId(), String.class), "kind", m.kind().name(), "name", m.name(),
                        "email", Sql.nullable(m.email(), String.class), "status", m.status().name(),
                        "quota", m.personalQuota(), "admin", m.groupAdmin(), "created", at(m.createdAt()),
                        "updated", at(m.updatedAt()))
                .then();
    }

    /** As {@link #update(Group, Group)}: never {@code personal_quota}; returns the member as stored. */
    public Mono<Member> update(Member read, Member next) {
        return new ChangedColumns()
                .set("workspace_id", read.workspaceId(), next.workspaceId(), String.class)
                .set("group_id", read.groupId(), next.groupId(), String.class)
                .set("name", read.name(), next.name(), String.class)
                .set("email", read.email(), next.email(), String.class)
                .set("status", read.status().name(), next.status().name(), String.class)
                .set("group_admin", read.groupAdmin(), next.groupAdmin(), Boolean.class)
                .update(db, "member", next.id(), next.updatedAt())
                .map(row -> member(row)).one();
    }

    /**
     * A user's quota as it will stand once every transfer still waiting for the ledger is applied, read under a lock
     * on the user's row held until the caller's transaction ends: a quota change staging its transfer in that
     * transaction is seen by the next one, so two concurrent "set to 100" move 100 once, not twice.
     */
    public Mono<Long> lockedQuotaWithPending(String memberId) {
        return db.sql("select personal_quota from member where id = :id for update").bind("id", memberId)
                .map(row -> Sql.longValue(row, "personal_quota")).one()
                .flatMap(quota -> db.sql("""
                                select coalesce(sum(case when to_account = :id then amount else -amount end), 0)::bigint
                                    as pending
                                from credit_transfer
                                where status = 'PENDING' and (to_account = :id or from_account = :id)""")
                        .bind("id", memberId).map(row -> Sql.longValue(row, "pending")).one()
                        .map(pending -> quota + pending));
    }

    public Mono<Member> member(String id) {
        return db.sql("select * from member where id = :id").bind("id", id).map(row -> member(row)).one();
    }

    public Mono<Member> userByEmail(String orgId, String email) {
        return db.sql("select * from member where org_id = :org and lower(email) = lower(:email)")
                .bind("org", orgId).bind("email", email).map(row -> member(row)).one();
    }

    public Flux<Member> members(String column, String value, MemberKind kind) {
        return db.sql("select * from member where " + column + " = :value and kind = :kind order by id")
                .bind("value", value).bind("kind", kind.name()).map(row -> member(row)).all();
    }

    public Flux<Member> membersOfGroup(String groupId) {
        return db.sql("select * from member where group_id = :group order by id").bind("group", groupId)
                .map(row -> member(row)).all();
    }

    public Mono<Boolean> memberNameTaken(String groupId, String name) {
        return db.sql("select 1 from member where group_id = :group and lower(name) = lower(:name)")
                .bind("group", groupId).bind("name", name).map(row -> true).one().defaultIfEmpty(false);
    }

    // projects

    public Mono<Void> insert(Project p) {
        return Sql.bind(db.sql("""
                        insert into project (id, org_id, name, description, status, created_at, updated_at)
                        values (:id, :org, :name, :description, :status, :created, :updated)"""),
                        "id", p.id(), "org", p.orgId(), "name", p.name(),
                        "description", Sql.nullable(p.description(), String.class), "status", p.status().name(),
                        "created", at(p.createdAt()), "updated", at(p.updatedAt()))
                .then();
    }

    public Mono<Void> update(Project p) {
        return db.sql("update project set status = :status, updated_at = :updated where id = :id")
                .bind("id", p.id()).bind("status", p.status().name()).bind("updated", at(p.updatedAt())).then();
    }

    public Mono<Project> project(String id) {
        return db.sql("select * from project where id = :id").bind("id", id).map(row -> project(row)).one();
    }

    public Flux<Project> projects(String orgId) {
        return db.sql("select * from project where org_id = :org order by id").bind("org", orgId)
                .map(row -> project(row)).all();
    }

    public Mono<Boolean> projectNameTaken(String orgId, String name) {
        return db.sql("select 1 from project where org_id = :org and lower(name) = lower(:name)")
                .bind("org", orgId).bind("name", name).map(row -> true).one().defaultIfEmpty(false);
    }

    private static java.time.OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Org org(Readable r) {
        return new Org(Sql.string(r, "id"), Sql.string(r, "name"), Sql.string(r, "slug"),
                Sql.string(r, "description"), EntityStatus.valueOf(Sql.string(r, "status")),
                Sql.longValue(r, "credits_per_usd"), Sql.longValue(r, "critical_overdraft_limit"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }

    private static Workspace workspace(Readable r) {
        return new Workspace(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "name"),
                EntityStatus.valueOf(Sql.string(r, "status")), Sql.bool(r, "is_default"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }

    private static Group group(Readable r) {
        return new Group(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "workspace_id"),
                GroupKind.valueOf(Sql.string(r, "kind")), Sql.string(r, "name"), Sql.string(r, "description"),
                EntityStatus.valueOf(Sql.string(r, "status")), Sql.longValue(r, "pool_credits"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }

    private static Member member(Readable r) {
        return new Member(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "workspace_id"),
                Sql.string(r, "group_id"), MemberKind.valueOf(Sql.string(r, "kind")), Sql.string(r, "name"),
                Sql.string(r, "email"), MemberStatus.valueOf(Sql.string(r, "status")),
                Sql.longValue(r, "personal_quota"), Sql.bool(r, "group_admin"), Sql.instant(r, "created_at"),
                Sql.instant(r, "updated_at"));
    }

    private static Project project(Readable r) {
        return new Project(Sql.string(r, "id"), Sql.string(r, "org_id"), Sql.string(r, "name"),
                Sql.string(r, "description"), EntityStatus.valueOf(Sql.string(r, "status")),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }
}
