package dev.tally.gateway.report;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class OrgTagLimitTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void organisations_past_the_limit_share_one_series_so_the_registry_stops_growing() {
        registry.config().meterFilter(new OrgTagLimit(1_000));

        for (int i = 0; i < 100_000; i++) {
            registry.counter("tally.gateway.credits.charged", "org", "org-" + i).increment();
        }

        Set<String> orgs = registry.getMeters().stream().map(Meter::getId).map(id -> id.getTag("org"))
                .collect(Collectors.toSet());
        assertThat(orgs).hasSize(1_001).contains("org-0", "org-999", OrgTagLimit.OTHER).doesNotContain("org-1000");
        assertThat(registry.get("tally.gateway.credits.charged").tag("org", OrgTagLimit.OTHER).counter().count())
                .isEqualTo(99_000);
        assertThat(registry.get("tally.gateway.credits.charged").tag("org", "org-5").counter().count()).isEqualTo(1);
    }

    @Test
    void other_meters_are_left_alone() {
        registry.config().meterFilter(new OrgTagLimit(1));

        registry.counter("jvm.something", "org", "a").increment();
        registry.counter("jvm.something", "org", "b").increment();

        assertThat(registry.find("jvm.something").counters()).hasSize(2);
    }
}
