package dev.tally.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.Yaml;

/** helm lint and helm template of infra/helm/tally through helm-java: Helm's own Go code, no helm binary. */
final class HelmChart {

    /** The tests run in infra/helm; the chart is beside them, the services two levels up. */
    static final Path CHART = Path.of("tally").toAbsolutePath();
    static final Path PROJECT_ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final String RELEASE = "acme";
    static final String NAMESPACE = "tally";
    /** The Kubernetes version the manifests are rendered for; fabric8's model 8.0 follows its API. */
    static final String KUBE_VERSION = "1.33.0";

    static final String HOOK_ANNOTATION = "test.tally.dev/helm-hook";

    private static final Map<ValueSet, Rendered> RENDERED = new ConcurrentHashMap<>();
    private static Path hooksVisible;

    private HelmChart() {
    }

    /** Rendered once per value set: helm template takes a second or two, and the tests only read the result. */
    static Rendered render(ValueSet values) {
        return RENDERED.computeIfAbsent(values, set -> {
            Rendered rendered = render(set, Map.of());
            // Kept for a person reading a failure: target/helm-template/<set>.yaml is what the assertions saw.
            try {
                Path file = Path.of("target/helm-template", set.name().toLowerCase() + ".yaml");
                Files.createDirectories(file.getParent());
                Files.writeString(file, rendered.text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return rendered;
        });
    }

    static Rendered render(ValueSet values, Map<String, Object> overrides) {
        TemplateCommand template = new Helm(hooksVisible()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (values.file() != null) {
            template = template.withValuesFile(values.file());
        }
        for (Map.Entry<String, Object> override : overrides.entrySet()) {
            template = template.set(override.getKey(), override.getValue());
        }
        return new Rendered(template.call(), values(values));
    }

    /**
     * A copy of the chart whose hooks render as plain manifests. helm-java's template returns the release's manifest
     * only, while the helm CLI appends the hooks (the keys' Secret, the topic Job): in the copy their helm.sh/hook
     * annotation is renamed to {@link #HOOK_ANNOTATION}, so they are rendered, validated and asserted like the rest,
     * and the tests still read their hook phases under that name.
     */
    static synchronized Path hooksVisible() {
        if (hooksVisible == null) {
            try {
                Path copy = Files.createTempDirectory("tally-chart-hooks-").resolve("tally");
                copyTree(CHART, copy);
                try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        String text = Files.readString(file, StandardCharsets.UTF_8);
                        Files.writeString(file, text.replace("helm.sh/hook:", HOOK_ANNOTATION + ":"),
                                StandardCharsets.UTF_8);
                    }
                }
                hooksVisible = copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return hooksVisible;
    }

    /** NOTES.txt as helm install prints it (a client-only dry run: no cluster is asked). */
    static String notes(ValueSet values) {
        InstallCommand install = new Helm(CHART).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).clientOnly().withDryRunOption(DryRun.CLIENT);
        if (values.file() != null) {
            install = install.withValuesFile(values.file());
        }
        return install.call().getOutput();
    }

    /**
     * helm lint --strict with the value set. helm-java's lint takes no values file, so the chart is copied and the
     * set is merged into the copy's values.yaml, which is what --values does.
     */
    static LintResult lint(ValueSet values) throws IOException {
        Path copy = Files.createTempDirectory("tally-chart-");
        try {
            Path chart = copy.resolve("tally");
            copyTree(CHART, chart);
            Files.writeString(chart.resolve("values.yaml"), new Yaml().dump(values(values)), StandardCharsets.UTF_8);
            return new Helm(chart).lint().strict().call();
        } finally {
            deleteTree(copy);
        }
    }

    /** The chart's values.yaml with the set's file merged over it, as helm merges them. */
    static Map<String, Object> values(ValueSet values) {
        Map<String, Object> merged = readYaml(CHART.resolve("values.yaml"));
        if (values.file() != null) {
            merge(merged, readYaml(values.file()));
        }
        return merged;
    }

    static Map<String, Object> readYaml(Path file) {
        try {
            Map<String, Object> map = new Yaml().load(Files.readString(file, StandardCharsets.UTF_8));
            return map == null ? new LinkedHashMap<>() : map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> entry : from.entrySet()) {
            Object existing = into.get(entry.getKey());
            if (existing instanceof Map<?, ?> existingMap && entry.getValue() instanceof Map<?, ?> fromMap) {
                merge((Map<String, Object>) existingMap, (Map<String, Object>) fromMap);
            } else {
                into.put(entry.getKey(), entry.getValue());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    static List<String> services() {
        return List.of("gateway", "ledger", "governance", "analytics", "notification");
    }
}
