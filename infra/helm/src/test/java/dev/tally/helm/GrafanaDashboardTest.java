package dev.tally.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard the chart ships: optional, labelled for Grafana's sidecar, and querying only metrics the
 * services register. The names come from the services' code (every Micrometer meter named {@code tally.…}), turned
 * into the names Prometheus serves, so a renamed or removed meter fails here instead of leaving an empty panel.
 */
class GrafanaDashboardTest {

    private static final String NAME = HelmChart.RELEASE + "-tally-grafana-dashboard";
    /** registry.timer("tally.…") / Timer.builder("tally.…"), counters and function counters, gauges. */
    private static final Pattern METER = Pattern.compile(
            "(timer|Timer\\.builder|counter|Counter\\.builder|FunctionCounter\\.builder|Gauge\\.builder)"
                    + "\\(\\s*\"(tally\\.[a-z.]+)\"");
    private static final Pattern QUERIED = Pattern.compile("\\b((?:tally|kafka)_[a-z_]+)\\b");
    /**
     * Metrics Micrometer's Kafka binder registers for every consumer Spring Boot builds, which no Tally code names;
     * MetricsIT reads this one from a running gateway.
     */
    private static final Set<String> LIBRARY_METRICS = Set.of("kafka_consumer_fetch_manager_records_lag_max");

    @Test
    void the_dashboard_is_off_by_default() {
        assertThat(HelmChart.render(ValueSet.DEFAULT).find(ConfigMap.class, NAME)).isEmpty();
    }

    @Test
    void enabled_it_is_a_config_map_the_grafana_sidecar_loads() {
        ConfigMap dashboard = HelmChart.render(ValueSet.PRODUCTION).get(ConfigMap.class, NAME);

        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Tally");
        JsonNode json = Rendered.MAPPER.readTree(dashboard.getData().get("tally.json"));
        assertThat(json.path("uid").asString()).isEqualTo("tally-overview");
        assertThat(json.path("panels").size()).isGreaterThan(10);
    }

    @Test
    void every_metric_the_dashboard_queries_is_one_a_service_registers() {
        JsonNode json = Rendered.MAPPER.readTree(HelmChart.render(ValueSet.PRODUCTION).get(ConfigMap.class, NAME)
                .getData().get("tally.json"));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : json.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher names = QUERIED.matcher(target.path("expr").asString());
                while (names.find()) {
                    queried.add(names.group(1));
                }
            }
        }
        Set<String> served = servedByTheServices();

        assertThat(queried).as("metrics the dashboard queries").isNotEmpty()
                .contains("tally_gateway_requests_seconds_count", "tally_ledger_commands_total",
                        "tally_gateway_leases_open", "kafka_consumer_fetch_manager_records_lag_max");
        assertThat(queried).allSatisfy(name -> assertThat(served).as("served metrics").contains(name));
    }

    @Test
    void the_meter_scan_finds_the_services_meters() {
        // A scan that found nothing would make the check above vacuous for every tally_ name.
        assertThat(servedByTheServices()).contains("tally_gateway_added_latency_seconds_sum",
                "tally_gateway_credits_charged_total", "tally_gateway_leases_retired_total",
                "tally_ledger_processor_lag", "tally_analytics_lag").doesNotContain("tally_gateway_requests_total");
    }

    /** The Prometheus names of every meter the services' main code registers, as Micrometer exports them. */
    private static Set<String> servedByTheServices() {
        Set<String> served = new TreeSet<>(LIBRARY_METRICS);
        for (String service : HelmChart.services()) {
            Path sources = HelmChart.PROJECT_ROOT.resolve(service + "-service/src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                    Matcher meter = METER.matcher(read(file));
                    while (meter.find()) {
                        String base = meter.group(2).replace('.', '_');
                        switch (meter.group(1)) {
                            case "timer", "Timer.builder" -> served.addAll(Set.of(base + "_seconds_count",
                                    base + "_seconds_sum", base + "_seconds_max"));
                            case "Gauge.builder" -> served.add(base);
                            default -> served.add(base + "_total");
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return served;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
