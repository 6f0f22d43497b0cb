package dev.tally.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every rendered manifest must be, for every value set: valid Kubernetes, safe to run, self-consistent. */
class RenderedManifestsTest {

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void every_manifest_is_a_valid_object_of_the_kubernetes_api(ValueSet values) {
        Rendered rendered = HelmChart.render(values);
        List<String> violations = new ArrayList<>();

        for (Map<String, Object> document : rendered.documents) {
            if (!Rendered.CUSTOM_TYPES.contains(Rendered.typeOf(document))) {
                violations.addAll(KubernetesSchema.violations(document));
            }
        }

        assertThat(violations).isEmpty();
        assertThat(rendered.documents).extracting(Rendered::typeOf).isNotEmpty()
                .isSubsetOf(allTypes());
    }

    @Test
    void a_misplaced_field_a_wrong_type_and_a_bad_name_are_violations() {
        Map<String, Object> container = Map.of("name", "app", "image", "app:1", "livenessprobe", Map.of());
        Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "Not_A_Name"),
                "spec", Map.of("replicas", "two", "template", Map.of("spec", Map.of("containers", List.of(container)))));
        Map<String, Object> wellTyped = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "app"),
                "spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(container)))));

        assertThat(KubernetesSchema.violations(deployment)).singleElement().asString().contains("replicas");
        assertThat(KubernetesSchema.violations(wellTyped)).singleElement().asString()
                .contains("unknown field(s) [livenessprobe]").contains(".spec.template.spec.containers[0]");
        assertThat(KubernetesSchema.violations(Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", "Not_A_Name")))).singleElement().asString().contains("metadata.name");
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void no_two_objects_of_one_kind_share_a_name(ValueSet values) {
        Rendered rendered = HelmChart.render(values);

        assertThat(rendered.documents).extracting(document -> Rendered.typeOf(document) + " "
                + Rendered.nameOf(document)).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void every_service_container_has_startup_liveness_and_readiness_probes_on_the_actuator_groups(ValueSet values) {
        Rendered rendered = HelmChart.render(values);
        Map<String, PodSpec> workloads = rendered.servicePodSpecs();

        assertThat(workloads).hasSize(5);
        workloads.forEach((name, spec) -> {
            for (Container container : spec.getContainers()) {
                String where = name + "/" + container.getName();
                assertThat(path(container.getStartupProbe())).as(where + " startup").isEqualTo(
                        "/actuator/health/liveness");
                assertThat(path(container.getLivenessProbe())).as(where + " liveness").isEqualTo(
                        "/actuator/health/liveness");
                assertThat(path(container.getReadinessProbe())).as(where + " readiness").isEqualTo(
                        "/actuator/health/readiness");
                for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
                        container.getReadinessProbe())) {
                    assertThat(probe.getHttpGet().getPort().getStrVal()).as(where).isEqualTo("http");
                }
                assertThat(container.getPorts()).as(where).extracting(port -> port.getName()).contains("http");
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void every_container_has_requests_and_limits_and_runs_as_non_root_on_a_read_only_root(ValueSet values) {
        Rendered rendered = HelmChart.render(values);

        rendered.podSpecs().forEach((name, spec) -> {
            var pod = spec.getSecurityContext();
            assertThat(pod).as(name + " pod securityContext").isNotNull();
            assertThat(pod.getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getRunAsUser()).as(name + " runAsUser").isNotNull().isPositive();
            for (Container container : spec.getContainers()) {
                String where = name + "/" + container.getName();
                assertThat(container.getResources().getLimits()).as(where + " limits").containsKeys("cpu", "memory");
                assertThat(container.getResources().getRequests()).as(where + " requests").containsKeys("cpu",
                        "memory");
                var security = container.getSecurityContext();
                assertThat(security).as(where + " securityContext").isNotNull();
                assertThat(security.getRunAsNonRoot()).as(where + " runAsNonRoot").isTrue();
                assertThat(security.getReadOnlyRootFilesystem()).as(where + " readOnlyRootFilesystem").isTrue();
                assertThat(security.getAllowPrivilegeEscalation()).as(where + " allowPrivilegeEscalation").isFalse();
                assertThat(security.getCapabilities().getDrop()).as(where + " capabilities").contains("ALL");
                // A read-only root still needs somewhere to write temporary files.
                assertThat(container.getVolumeMounts()).as(where).anyMatch(mount -> mount.getMountPath().equals(
                        "/tmp"));
            }
            assertThat(spec.getAutomountServiceAccountToken()).as(name + " service account token").isFalse();
        });
    }

    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void every_referenced_secret_and_config_map_key_exists(ValueSet values) {
        Rendered rendered = HelmChart.render(values);
        Set<String> external = existingSecrets(rendered.values);
        List<String> missing = new ArrayList<>();

        rendered.podSpecs().forEach((name, spec) -> {
            for (Container container : spec.getContainers()) {
                String where = name + "/" + container.getName();
                for (EnvVar variable : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                    if (variable.getValueFrom() == null) {
                        continue;
                    }
                    var secretKey = variable.getValueFrom().getSecretKeyRef();
                    if (secretKey != null) {
                        secretKey(rendered, external, secretKey.getName(), secretKey.getKey(),
                                Boolean.TRUE.equals(secretKey.getOptional()), where + " " + variable.getName(),
                                missing);
                    }
                    var configKey = variable.getValueFrom().getConfigMapKeyRef();
                    if (configKey != null && !configMapKeys(rendered, configKey.getName()).contains(
                            configKey.getKey())) {
                        missing.add(where + " " + variable.getName() + ": ConfigMap " + configKey.getName()
                                + " has no key " + configKey.getKey());
                    }
                }
                for (EnvFromSource source : container.getEnvFrom() == null ? List.<EnvFromSource>of()
                        : container.getEnvFrom()) {
                    if (source.getConfigMapRef() != null
                            && rendered.find(ConfigMap.class, source.getConfigMapRef().getName()).isEmpty()) {
                        missing.add(where + ": envFrom ConfigMap " + source.getConfigMapRef().getName());
                    }
                }
            }
            for (Volume volume : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
                if (volume.getConfigMap() != null) {
                    Set<String> keys = configMapKeys(rendered, volume.getConfigMap().getName());
                    if (keys.isEmpty()) {
                        missing.add(name + " volume " + volume.getName() + ": ConfigMap "
                                + volume.getConfigMap().getName());
                    }
                }
                if (volume.getSecret() != null) {
                    String secret = volume.getSecret().getSecretName();
                    for (var item : volume.getSecret().getItems() == null ? List.<io.fabric8.kubernetes.api.model
                            .KeyToPath>of() : volume.getSecret().getItems()) {
                        secretKey(rendered, external, secret, item.getKey(), false, name + " volume "
                                + volume.getName(), missing);
                    }
                }
            }
        });
        for (Map<String, Object> monitor : rendered.ofType("monitoring.coreos.com/v1/ServiceMonitor")) {
            for (Map<String, Object> endpoint : Yamls.list(monitor, "spec", "endpoints")) {
                Map<String, Object> credentials = Yamls.map(endpoint, "authorization", "credentials");
                secretKey(rendered, external, (String) credentials.get("name"), (String) credentials.get("key"),
                        false, "ServiceMonitor bearer token", missing);
            }
        }

        assertThat(missing).isEmpty();
    }

    @Test
    void a_secret_key_the_chart_does_not_render_is_caught() {
        Rendered rendered = HelmChart.render(ValueSet.DEFAULT);
        List<String> missing = new ArrayList<>();

        secretKey(rendered, Set.of(), "acme-tally-keys", "no-such-key", false, "probe", missing);
        secretKey(rendered, Set.of(), "some-other-secret", "admin-key", false, "probe", missing);

        assertThat(missing).hasSize(2);
    }

    private static void secretKey(Rendered rendered, Set<String> external, String secret, String key,
            boolean optional, String where, List<String> missing) {
        var own = rendered.find(Secret.class, secret);
        if (own.isPresent()) {
            Set<String> keys = new HashSet<>();
            if (own.get().getData() != null) {
                keys.addAll(own.get().getData().keySet());
            }
            if (own.get().getStringData() != null) {
                keys.addAll(own.get().getStringData().keySet());
            }
            if (!keys.contains(key) && !optional) {
                missing.add(where + ": Secret " + secret + " has no key " + key);
            }
        } else if (!external.contains(secret)) {
            missing.add(where + ": Secret " + secret + " is neither rendered by the chart nor named as existing in"
                    + " the values");
        }
    }

    private static Set<String> configMapKeys(Rendered rendered, String name) {
        return rendered.find(ConfigMap.class, name).map(map -> map.getData() == null ? Set.<String>of()
                : map.getData().keySet()).orElse(Set.of());
    }

    /** Every value named existingSecret in the values: Secrets the operator creates, which the chart only names. */
    private static Set<String> existingSecrets(Object values) {
        Set<String> names = new HashSet<>();
        if (values instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("existingSecret".equals(key) && value instanceof String name && !name.isEmpty()) {
                    names.add(name);
                } else {
                    names.addAll(existingSecrets(value));
                }
            });
        } else if (values instanceof List<?> list) {
            list.forEach(item -> names.addAll(existingSecrets(item)));
        }
        return names;
    }

    private static String path(Probe probe) {
        return probe == null || probe.getHttpGet() == null ? null : probe.getHttpGet().getPath();
    }

    private static Set<String> allTypes() {
        Set<String> types = new HashSet<>(Rendered.KUBERNETES_TYPES.keySet());
        types.addAll(Rendered.CUSTOM_TYPES);
        return types;
    }
}
