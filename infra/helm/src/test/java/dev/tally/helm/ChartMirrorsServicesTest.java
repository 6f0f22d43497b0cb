package dev.tally.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.tally.servicekit.kafka.KafkaSecurity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chart says what the services' application.yml files say: ports, variables, databases, probe groups. */
class ChartMirrorsServicesTest {

    /** Read by the JVM and by Axon, not by application.yml. */
    private static final Set<String> PLATFORM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS",
            "AXONIQ_UPDATE_CHECKER_DISABLED");

    @Test
    void every_service_enables_the_liveness_and_readiness_health_groups_the_probes_call() {
        for (String service : HelmChart.services()) {
            assertThat(ApplicationYml.of(service).probesEnabled()).as(service
                    + ": management.endpoint.health.probes.enabled").isTrue();
        }
    }

    @Test
    void the_readiness_group_waits_for_every_health_indicator_of_the_service() {
        for (String service : HelmChart.services()) {
            ApplicationYml yml = ApplicationYml.of(service);
            Set<String> indicators = yml.healthIndicators();
            if (indicators.isEmpty()) {
                continue;
            }
            String include = Yamls.string(yml.yaml, "management", "endpoint", "health", "group", "readiness",
                    "include");
            assertThat(Set.of(include.split("\\s*,\\s*"))).as(service + " readiness group")
                    .contains("readinessState").containsAll(indicators);
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void container_and_service_ports_are_the_application_yml_ports(ValueSet values) {
        Rendered rendered = HelmChart.render(values);

        for (String service : HelmChart.services()) {
            Map.Entry<String, Integer> port = ApplicationYml.of(service).port();
            Container container = rendered.container(service);
            assertThat(container.getPorts().get(0).getContainerPort()).as(service).isEqualTo(port.getValue());
            assertThat(environment(rendered, service)).as(service).containsEntry(port.getKey(),
                    String.valueOf(port.getValue()));
            Service kubernetesService = rendered.get(Service.class, Rendered.resourceName(service));
            assertThat(kubernetesService.getSpec().getPorts().get(0).getPort()).as(service).isEqualTo(port.getValue());
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void every_variable_the_chart_sets_is_one_the_service_reads(ValueSet values) {
        Rendered rendered = HelmChart.render(values);

        for (String service : HelmChart.services()) {
            ApplicationYml yml = ApplicationYml.of(service);
            Set<String> known = new TreeSet<>(yml.variables().keySet());
            known.addAll(yml.codeVariables());
            known.addAll(PLATFORM_VARIABLES);
            // service-kit's Kafka security settings, which every service reads (ChartKafkaSecurityTest).
            KafkaSecurity.SETTINGS.forEach(setting -> known.add(KafkaSecurity.environmentVariable(setting)));
            Set<String> unknown = new TreeSet<>(environment(rendered, service).keySet());
            unknown.removeAll(known);
            assertThat(unknown).as(service + ": set by the chart, read by nobody").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void every_setting_that_defaults_to_this_machine_or_holds_a_key_is_set(ValueSet values) {
        Rendered rendered = HelmChart.render(values);
        Map<String, List<String>> keys = Map.of(
                "gateway", List.of("TALLY_CREDENTIAL_KEY", "TALLY_LEDGER_ADMIN_KEY", "TALLY_GATEWAY_JOURNAL_DIR"),
                "ledger", List.of(),
                "governance", List.of("TALLY_CREDENTIAL_KEY", "TALLY_BOOTSTRAP_ADMIN_KEY"),
                "analytics", List.of(),
                "notification", List.of("TALLY_CHANNEL_KEY"));

        for (String service : HelmChart.services()) {
            ApplicationYml yml = ApplicationYml.of(service);
            Map<String, String> environment = environment(rendered, service);
            yml.variables().forEach((name, fallback) -> {
                if (fallback.contains("localhost") || name.equals("TALLY_DB_USER") || name.equals(
                        "TALLY_DB_PASSWORD")) {
                    assertThat(environment).as(service + " sets " + name + " (default " + fallback + ")")
                            .containsKey(name);
                }
            });
            for (String key : keys.get(service)) {
                assertThat(environment).as(service).containsKey(key);
            }
        }
    }

    @Test
    void database_urls_name_each_services_own_database_as_application_yml_does() {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT);

        for (String service : List.of("ledger", "governance", "analytics", "notification")) {
            ApplicationYml yml = ApplicationYml.of(service);
            Map<String, String> environment = environment(rendered, service);
            yml.variables().forEach((name, fallback) -> {
                if (name.endsWith("_DB_URL") || name.endsWith("_R2DBC_URL")) {
                    String database = fallback.substring(fallback.lastIndexOf('/') + 1);
                    String scheme = fallback.substring(0, fallback.indexOf("//"));
                    assertThat(environment.get(name)).as(service + " " + name).startsWith(scheme)
                            .endsWith("/" + database);
                }
            });
        }
    }

    @Test
    void the_gateway_journal_is_on_a_volume_claimed_per_replica() {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT);
        var gateway = rendered.get(io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
                Rendered.resourceName("gateway"));
        String journal = environment(rendered, "gateway").get("TALLY_GATEWAY_JOURNAL_DIR");

        assertThat(gateway.getSpec().getVolumeClaimTemplates()).extracting(claim -> claim.getMetadata().getName())
                .containsExactly("journal");
        assertThat(rendered.container("gateway").getVolumeMounts())
                .anyMatch(mount -> mount.getName().equals("journal") && mount.getMountPath().equals(journal));
    }

    /** A container's environment: its ConfigMap's data (envFrom) and its own variables (a Secret's are "secret"). */
    static Map<String, String> environment(Rendered rendered, String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        Container container = rendered.container(service);
        container.getEnvFrom().forEach(source -> {
            if (source.getConfigMapRef() != null) {
                environment.putAll(rendered.get(io.fabric8.kubernetes.api.model.ConfigMap.class,
                        source.getConfigMapRef().getName()).getData());
            }
        });
        Map<String, String> own = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            own.put(variable.getName(), variable.getValue() != null ? variable.getValue() : "secret");
        }
        environment.putAll(own);
        return environment;
    }
}
