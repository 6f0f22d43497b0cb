package dev.tally.governance.people;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.events.governance.EntityStatus;
import dev.tally.governance.credit.TransferView;
import dev.tally.governance.hierarchy.Group;
import dev.tally.governance.hierarchy.Member;
import dev.tally.governance.key.ApiKeyView;

import java.time.Instant;
import java.util.Locale;

public final class PeopleViews {

    private PeopleViews() {
    }

    /**
     * Alfred's user: status in lower case (active, on_vacation, suspended).
     *
     * @param apiKey     the user's first gateway key, with its plaintext, only in the answer that created the user
     * @param allocation the ledger transfer that funded personal_quota, when this answer made one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserView(String id, String orgId, String email, String name, String status, long personalQuota,
            String teamId, boolean isTeamAdmin, String workspaceId, Instant createdAt, Instant updatedAt,
            ApiKeyView apiKey, TransferView allocation) {

        public static UserView of(Member m) {
            return new UserView(m.id(), m.orgId(), m.email(), m.name(), m.status().name().toLowerCase(Locale.ROOT),
                    m.personalQuota(), m.groupId(), m.groupAdmin(), m.workspaceId(), m.createdAt(), m.updatedAt(),
                    null, null);
        }

        UserView with(ApiKeyView key, TransferView allocation) {
            return new UserView(id, orgId, email, name, status, personalQuota, teamId, isTeamAdmin, workspaceId,
                    createdAt, updatedAt, key, allocation);
        }
    }

    /** Alfred's team, whose {@code common_pool} is the credits allocated to its shared pool so far. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TeamView(String id, String orgId, String workspaceId, String name, String description,
            long commonPool, boolean isActive, String status, Instant createdAt, Instant updatedAt,
            TransferView allocation) {

        public static TeamView of(Group g) {
            return new TeamView(g.id(), g.orgId(), g.workspaceId(), g.name(), g.description(), g.poolCredits(),
                    g.status() == EntityStatus.ACTIVE, g.status().name(), g.createdAt(), g.updatedAt(), null);
        }

        TeamView with(TransferView allocation) {
            return new TeamView(id, orgId, workspaceId, name, description, commonPool, isActive, status, createdAt,
                    updatedAt, allocation);
        }
    }
}
