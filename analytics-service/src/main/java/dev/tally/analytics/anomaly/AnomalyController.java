package dev.tally.analytics.anomaly;

import dev.tally.servicekit.auth.Caller;
import dev.tally.servicekit.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /orgs/{org}/anomalies}: see {@link AnomalyFinder}. {@link AnomalyAlerts} sends the same findings to
 * notification-service.
 */
@RestController
@RequestMapping("/orgs/{orgId}")
public class AnomalyController {

    private final AnomalyFinder finder;
    private final Clock clock;

    public AnomalyController(AnomalyFinder finder, Clock clock) {
        this.finder = finder;
        this.clock = clock;
    }

    @GetMapping("/anomalies")
    Mono<Map<String, Object>> anomalies(Caller caller, @PathVariable String orgId,
            @RequestParam(name = "baseline_days", defaultValue = "14") int baselineDays,
            @RequestParam(defaultValue = "agent") String kind) {
        caller.requireOrg(orgId, "organisation", orgId);
        if (baselineDays < 3 || baselineDays > 90) {
            throw ApiException.invalid("baseline_days", "must be between 3 and 90");
        }
        String memberKind = switch (kind) {
            case "agent" -> "AGENT";
            case "user" -> "USER";
            case "member" -> null;
            default -> throw ApiException.invalid("kind", "must be agent, user or member");
        };
        Instant now = clock.instant();
        return finder.find(orgId, baselineDays, memberKind, now)
                .map(found -> Map.<String, Object>of("as_of", now, "baseline_days", baselineDays, "items", found));
    }
}
