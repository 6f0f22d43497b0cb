package dev.tally.helm;

import java.nio.file.Path;

/** The value sets the chart is tested with: its defaults and the three files under tally/ci. */
enum ValueSet {
    DEFAULT(null),
    MINIMAL("minimal-values.yaml"),
    PRODUCTION("production-values.yaml"),
    STRIMZI("strimzi-values.yaml");

    private final String file;

    ValueSet(String file) {
        this.file = file;
    }

    /** The values file given to helm, or null for the chart's own values.yaml alone. */
    Path file() {
        return file == null ? null : HelmChart.CHART.resolve("ci").resolve(file).toAbsolutePath();
    }
}
