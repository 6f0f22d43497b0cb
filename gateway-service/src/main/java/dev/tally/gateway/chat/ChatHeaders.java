package dev.tally.gateway.chat;

import dev.tally.events.ledger.Priority;
import org.springframework.http.HttpHeaders;

import java.util.Locale;

/**
 * The headers users of the replaced products send: {@code X-Priority: critical} (or {@code X-Project-Priority}) may
 * draw on the team pool's overdraft; {@code X-Privacy-Mode: strict} keeps content out of everything but the provider
 * call; {@code X-Project-ID} charges a project's budgets too.
 */
public record ChatHeaders(String authorization, Priority priority, boolean privacyStrict, String projectId) {

    public static ChatHeaders of(HttpHeaders headers) {
        String priority = headers.getFirst("X-Priority");
        if (priority == null) {
            priority = headers.getFirst("X-Project-Priority");
        }
        String privacy = headers.getFirst("X-Privacy-Mode");
        String project = headers.getFirst("X-Project-ID");
        return new ChatHeaders(headers.getFirst(HttpHeaders.AUTHORIZATION),
                priority != null && "critical".equals(priority.strip().toLowerCase(Locale.ROOT))
                        ? Priority.CRITICAL : Priority.NORMAL,
                privacy != null && "strict".equals(privacy.strip().toLowerCase(Locale.ROOT)),
                project == null || project.isBlank() ? null : project.strip());
    }
}
