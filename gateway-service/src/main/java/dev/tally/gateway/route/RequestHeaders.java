package dev.tally.gateway.route;

import dev.tally.events.ledger.Priority;
import org.springframework.http.HttpHeaders;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The headers users of the replaced products send: {@code X-Priority: critical} (or {@code X-Project-Priority}) may
 * draw on the team pool's overdraft; {@code X-Privacy-Mode: strict} keeps content out of everything but the provider
 * call; {@code X-Project-ID} charges a project's budgets too.
 *
 * @param priorityHeader the header that carried the priority, so that a refusal names the one the client sent
 * @param forProvider    headers meant for the provider itself, passed on as sent: Anthropic's {@code
 *                       anthropic-version} and {@code anthropic-beta} (only the Messages API reads them)
 */
public record RequestHeaders(String authorization, Priority priority, String priorityHeader, boolean privacyStrict,
        String projectId, Map<String, String> forProvider) {

    /** What Anthropic's SDKs and Claude Code send for the API itself: its version and opted-in beta features. */
    static final List<String> PROVIDER_HEADERS = List.of("anthropic-version", "anthropic-beta");

    public RequestHeaders(String authorization, Priority priority, String priorityHeader, boolean privacyStrict,
            String projectId) {
        this(authorization, priority, priorityHeader, privacyStrict, projectId, Map.of());
    }

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
        Map<String, String> forProvider = new LinkedHashMap<>();
        for (String name : PROVIDER_HEADERS) {
            List<String> values = headers.get(name);
            if (values != null && !values.isEmpty()) {
                forProvider.put(name, String.join(",", values));
            }
        }
        return new RequestHeaders(headers.getFirst(HttpHeaders.AUTHORIZATION),
                priority != null && "critical".equals(priority.strip().toLowerCase(Locale.ROOT))
                        ? Priority.CRITICAL : Priority.NORMAL, priorityHeader,
                privacy != null && "strict".equals(privacy.strip().toLowerCase(Locale.ROOT)),
                project == null || project.isBlank() ? null : project.strip(), Map.copyOf(forProvider));
    }
}
