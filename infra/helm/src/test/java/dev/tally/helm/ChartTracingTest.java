package dev.tally.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracing values reach every service as the TALLY_TRACING_* settings its application.yml reads. */
class ChartTracingTest {

    @Test
    void tracing_is_off_by_default_in_every_service() {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT);

        for (String service : HelmChart.services()) {
            Map<String, String> settings = rendered.get(ConfigMap.class, Rendered.resourceName(service)).getData();
            assertThat(settings).as(service).containsEntry("TALLY_TRACING_ENABLED", "false")
                    .containsEntry("TALLY_TRACING_OTLP_ENDPOINT", "");
        }
    }

    @Test
    void the_endpoint_and_the_sampling_reach_every_service() {
        Rendered rendered = HelmChart.render(ValueSet.PRODUCTION);

        for (String service : HelmChart.services()) {
            Map<String, String> settings = rendered.get(ConfigMap.class, Rendered.resourceName(service)).getData();
            assertThat(settings).as(service).containsEntry("TALLY_TRACING_ENABLED", "true")
                    .containsEntry("TALLY_TRACING_OTLP_ENDPOINT", "http://otel-collector.monitoring:4318/v1/traces")
                    .containsEntry("TALLY_TRACING_SAMPLING_PROBABILITY", "0.05");
        }
    }
}
