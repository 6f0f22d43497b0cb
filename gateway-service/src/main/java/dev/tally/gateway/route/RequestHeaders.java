package dev.tally.gateway.route;

import dev.tally.events.ledger.Priority;
import org.springframework.http.HttpHeaders;

import java.util.Locale;

/**
 * The headers users of the replaced products send: {@code X-Priority: critical} (or {@code X-Project-Priority}) may
 * draw on the team pool's overdraft; {@code X-Privacy-Mode: strict} keeps content out of everything but the provider
 * call; {@code X-Project-ID} charges a project's budgets too.
 *
 * @param priorityHeader the header that carried the priority, so that a refusal names the one the client sent
 */
public record RequestHeaders(String authorization, Priority priority, String priorityHeader, boolean privacyStrict,
        String projectId) {

    public static final String PRIORITY = "X-Priority";
    public static final String PRIORITY_ALIAS = "X-Project-Priority";
    public static final String PROJECT = "X-Project-ID";

    public static RequestHeaders of(HttpHeaders headers) {
        String priorityHeader = PRIORITY;
        String priority = headers.getFirst(PRIORITY);
        if (priority == null) {
            priorityHeader = PRIORITY_ALIAS;
            priority = headers.getFirst(PRIORITY_ALIAS);
        }
        String privacy = headers.getFirst("X-Privacy-Mode");
        String project = headers.getFirst(PROJECT);
        return new RequestHeaders(headers.getFirst(HttpHeaders.AUTHORIZATION),
                priority != null && "critical".equals(priority.strip().toLowerCase(Locale.ROOT))
                        ? Priority.CRITICAL : Priority.NORMAL, priorityHeader,
                privacy != null && "strict".equals(privacy.strip().toLowerCase(Locale.ROOT)),
                project == null || project.isBlank() ? null : project.strip());
    }
}
