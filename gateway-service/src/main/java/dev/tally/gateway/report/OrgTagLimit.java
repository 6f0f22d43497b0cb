package dev.tally.gateway.report;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the gateway's meters per organisation ({@link RequestMetrics} tags requests and credits with the org): the
 * first {@code tally.gateway.metrics.max-orgs} organisations this replica serves get series of their own, every
 * later one is counted under {@code org=other}. Without it the registry, and every scrape, would grow with every
 * organisation that ever sent a request, deleted ones included, for as long as the replica runs.
 */
@Component
public class OrgTagLimit implements MeterFilter {

    static final String OTHER = "other";

    private final int maxOrgs;
    private final Set<String> orgs = ConcurrentHashMap.newKeySet();

    public OrgTagLimit(@Value("${tally.gateway.metrics.max-orgs:1000}") int maxOrgs) {
        this.maxOrgs = maxOrgs;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String org = id.getTag("org");
        if (org == null || !id.getName().startsWith("tally.gateway.") || admitted(org)) {
            return id;
        }
        return id.replaceTags(id.getTags().stream()
                .map(tag -> tag.getKey().equals("org") ? Tag.of("org", OTHER) : tag).toList());
    }

    private boolean admitted(String org) {
        if (orgs.contains(org)) {
            return true;
        }
        // Not atomic with the check: under a race a few more than maxOrgs may be admitted, never without bound.
        if (orgs.size() < maxOrgs) {
            orgs.add(org);
            return true;
        }
        return false;
    }
}
