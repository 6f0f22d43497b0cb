package dev.tally.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/** The output of helm template: every document as YAML, and as the Kubernetes API type it names. */
final class Rendered {

    /** The built-in types the chart renders, by apiVersion and kind (the custom resources are checked apart). */
    static final Map<String, Class<? extends HasMetadata>> KUBERNETES_TYPES = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class));

    static final List<String> CUSTOM_TYPES = List.of("monitoring.coreos.com/v1/ServiceMonitor",
            "kafka.strimzi.io/v1beta2/KafkaTopic");

    /**
     * A field of the wrong type fails here. An unknown field does not (the models keep it in additionalProperties):
     * {@link KubernetesSchema} looks for those.
     */
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    final String text;
    final List<Map<String, Object>> documents = new ArrayList<>();
    final Map<String, Object> values;

    @SuppressWarnings("unchecked")
    Rendered(String text, Map<String, Object> values) {
        this.text = text;
        this.values = values;
        for (Object document : new Yaml().loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
    }

    static String typeOf(Map<String, Object> document) {
        return document.get("apiVersion") + "/" + document.get("kind");
    }

    static String nameOf(Map<String, Object> document) {
        return String.valueOf(((Map<?, ?>) document.get("metadata")).get("name"));
    }

    /** Every document of a built-in type, as that type. */
    List<HasMetadata> typed() {
        List<HasMetadata> typed = new ArrayList<>();
        for (Map<String, Object> document : documents) {
            Class<? extends HasMetadata> type = KUBERNETES_TYPES.get(typeOf(document));
            if (type != null) {
                typed.add(MAPPER.convertValue(document, type));
            }
        }
        return typed;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return typed().stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(object -> object.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                + " in the rendered chart"));
    }

    List<Map<String, Object>> ofType(String apiVersionAndKind) {
        return documents.stream().filter(document -> typeOf(document).equals(apiVersionAndKind)).toList();
    }

    /** The Deployment, StatefulSet and Job pod specs, by workload name. */
    Map<String, PodSpec> podSpecs() {
        Map<String, PodSpec> specs = new java.util.LinkedHashMap<>();
        all(Deployment.class).forEach(d -> specs.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        all(StatefulSet.class).forEach(s -> specs.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        all(Job.class).forEach(j -> specs.put(j.getMetadata().getName(), j.getSpec().getTemplate().getSpec()));
        return specs;
    }

    /** The long-running workloads (not the topic Job): these must have probes. */
    Map<String, PodSpec> servicePodSpecs() {
        Map<String, PodSpec> specs = new java.util.LinkedHashMap<>();
        all(Deployment.class).forEach(d -> specs.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        all(StatefulSet.class).forEach(s -> specs.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        return specs;
    }

    static String resourceName(String service) {
        return HelmChart.RELEASE + "-tally-" + service;
    }

    /** The one container of a service's workload. */
    Container container(String service) {
        PodSpec spec = servicePodSpecs().get(resourceName(service));
        if (spec == null) {
            throw new AssertionError("no workload " + resourceName(service));
        }
        return spec.getContainers().get(0);
    }

    ConfigMap configMap(String service) {
        return get(ConfigMap.class, resourceName(service));
    }
}
