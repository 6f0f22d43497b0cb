package dev.tally.governance.people;

public final class PeopleRequests {

    private PeopleRequests() {
    }

    public record CreateUser(String email, String name, Long personalQuota, String teamId, Boolean isTeamAdmin) {
    }

    /** {@code personal_quota} is the new total: the difference moves between the org pool and the user. */
    public record UpdateUser(String name, Long personalQuota, String status) {
    }

    public record CreateTeam(String name, String description, Long commonPool, String workspaceId) {
    }

    public record UpdateTeam(String name, String description, Boolean isActive) {
    }

    public record StatusChange(String status) {
    }

    public record MemberTransfer(String recipientEmail, String recipientId, Long amount, String reason,
            String idempotencyKey) {
    }
}
