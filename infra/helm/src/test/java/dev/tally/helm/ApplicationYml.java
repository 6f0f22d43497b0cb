package dev.tally.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A service's src/main/resources/application.yml and the properties its code reads, as the chart must mirror them. */
final class ApplicationYml {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");

    private static final Pattern HEALTH_INDICATOR = Pattern.compile(
            "class (\\w+) implements [^{]*\\bHealthIndicator\\b");

    final String service;
    final Map<String, Object> yaml;
    private final String text;
    private final String javaSources;

    private ApplicationYml(String service, String text, Map<String, Object> yaml, String javaSources) {
        this.service = service;
        this.text = text;
        this.yaml = yaml;
        this.javaSources = javaSources;
    }

    static ApplicationYml of(String service) {
        Path module = HelmChart.PROJECT_ROOT.resolve(service + "-service");
        Path file = module.resolve("src/main/resources/application.yml");
        try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
            StringBuilder java = new StringBuilder();
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                java.append(Files.readString(source, StandardCharsets.UTF_8));
            }
            return new ApplicationYml(service, Files.readString(file, StandardCharsets.UTF_8),
                    HelmChart.readYaml(file), java.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment variables application.yml reads (${NAME:default}), with their defaults. */
    Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(matcher.group(1).toUpperCase())) {
                variables.putIfAbsent(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2));
            }
        }
        return variables;
    }

    /** The variables that set a property the service's code reads with @Value("${tally.some-name:…}"). */
    Set<String> codeVariables() {
        Set<String> variables = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(javaSources);
        while (matcher.find()) {
            variables.add(environmentName(matcher.group(1)));
        }
        return variables;
    }

    /** Spring's relaxed binding: tally.gateway.request-partitions is TALLY_GATEWAY_REQUEST_PARTITIONS. */
    static String environmentName(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase();
    }

    /** server.port: ${GATEWAY_PORT:8080} gives GATEWAY_PORT and 8080. */
    Map.Entry<String, Integer> port() {
        Matcher matcher = PLACEHOLDER.matcher(Yamls.string(yaml, "server", "port"));
        if (!matcher.matches()) {
            throw new AssertionError(service + ": server.port is not ${VARIABLE:port}");
        }
        return Map.entry(matcher.group(1), Integer.parseInt(matcher.group(2)));
    }

    /** The service's HealthIndicator beans by the names health groups use (StateTopicConsumer: stateTopicConsumer). */
    Set<String> healthIndicators() {
        Set<String> names = new TreeSet<>();
        Matcher matcher = HEALTH_INDICATOR.matcher(javaSources);
        while (matcher.find()) {
            names.add(Character.toLowerCase(matcher.group(1).charAt(0)) + matcher.group(1).substring(1));
        }
        return names;
    }

    boolean probesEnabled() {
        try {
            return Boolean.TRUE.equals(Yamls.at(yaml, "management", "endpoint", "health", "probes", "enabled"));
        } catch (AssertionError e) {
            return false;
        }
    }
}
