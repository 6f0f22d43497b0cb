package dev.tally.helm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Checks a manifest against the Kubernetes API the way the API server's schema would, without a cluster: it must
 * convert to fabric8's model of its type (generated from Kubernetes' OpenAPI document; a wrong type fails there),
 * have no field the type does not know (the model keeps those in additionalProperties, so they are looked for), and
 * carry names and labels the API server accepts.
 */
final class KubernetesSchema {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private KubernetesSchema() {
    }

    /** Every violation, each naming the object and the path of the field; empty when valid. */
    static List<String> violations(Map<String, Object> document) {
        List<String> violations = new ArrayList<>();
        String where = Rendered.typeOf(document) + " " + Rendered.nameOf(document);
        Class<? extends HasMetadata> type = Rendered.KUBERNETES_TYPES.get(Rendered.typeOf(document));
        if (type == null) {
            violations.add(where + ": not a type of the Kubernetes API this chart may render");
            return violations;
        }
        HasMetadata object;
        try {
            object = Rendered.MAPPER.convertValue(document, type);
        } catch (RuntimeException e) {
            violations.add(where + ": " + e.getMessage());
            return violations;
        }
        unknownFields(object, "", where, violations);
        metadata(object.getMetadata(), object.getKind(), where, violations);
        return violations;
    }

    private static void metadata(ObjectMeta metadata, String kind, String where, List<String> violations) {
        String name = metadata.getName();
        // Services need a DNS label (they become DNS names); the rest a DNS subdomain.
        boolean label = kind.equals("Service");
        if (name == null || name.length() > (label ? 63 : 253)
                || !(label ? DNS_LABEL : DNS_SUBDOMAIN).matcher(name).matches()) {
            violations.add(where + ": metadata.name is not a valid " + (label ? "DNS label" : "DNS subdomain"));
        }
        if (metadata.getLabels() != null) {
            metadata.getLabels().forEach((key, value) -> {
                if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                    violations.add(where + ": label " + key + "=" + value + " is not a valid label value");
                }
            });
        }
    }

    /** Walks the typed object through its getters; any non-empty additionalProperties is a field the API lacks. */
    private static void unknownFields(Object value, String path, String where, List<String> violations) {
        if (value == null) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", where, violations);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "[" + key + "]", where, violations));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    violations.add(where + ": unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "."
                            : path));
                }
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(field, path + "." + name, where, violations);
        }
    }
}
