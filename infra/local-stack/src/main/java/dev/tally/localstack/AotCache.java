package dev.tally.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * JDK 25's ahead-of-time cache for one service (JEPs 483, 514 and 515): the classes it loaded and linked, and the
 * method profiles its JIT gathered, from the service's previous run. A fresh gateway spends its first seconds loading
 * classes and its first thousands of requests in the interpreter and the quick compiler; with the cache it starts
 * with both done, which is what a new replica of an autoscaled gateway needs.
 * <p>
 * The cache cannot be read from classes nested in a Spring Boot executable jar, so the jar is first extracted (Spring
 * Boot's {@code -Djarmode=tools extract}) into {@code <data>/aot/<service>}, again whenever the jar changes (a cache
 * belongs to exactly one class path). A run without a cache records one ({@code -XX:AOTCacheOutput}), which the JVM
 * writes when the service stops; the next run reads it ({@code -XX:AOTCache}). Only the JVM running it changes: the
 * build stays on release 17.
 */
final class AotCache {

    static final int REQUIRED_FEATURE_VERSION = 25;
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(2);

    private final String service;
    private final Path jar;
    private final Path directory;
    private final String java;

    AotCache(String service, Path jar, Path dataDirectory, String java) {
        this.service = service;
        this.jar = jar;
        this.directory = dataDirectory.resolve("aot").resolve(service);
        this.java = java;
    }

    /** Fails with what to do when the services' JDK cannot keep an AOT cache. */
    static void checkJdk(String java) {
        int feature = featureVersion(Path.of(java).toAbsolutePath().getParent().getParent());
        if (feature < REQUIRED_FEATURE_VERSION) {
            throw new StackException("--aot-cache needs JDK " + REQUIRED_FEATURE_VERSION + " or later to run the "
                    + "services; " + java + " is " + (feature == 0 ? "of an unknown version" : "JDK " + feature)
                    + ". Give one with --service-java JAVA_HOME.");
        }
    }

    /** The {@code JAVA_VERSION} of a JDK's {@code release} file, as its feature number; 0 when unknown. */
    static int featureVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        } catch (IOException e) {
            return 0;
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        String feature = version.split("[.+-]")[0];
        return feature.matches("\\d+") ? Integer.parseInt(feature) : 0;
    }

    /**
     * The JVM options and jar of the next run: the extracted jar, and the cache to read, or to record when there is
     * none yet. Extracts the jar first when it is new or changed since the last extraction (dropping the old cache).
     */
    List<String> launchArguments() {
        Path extracted = directory.resolve("app").resolve(jar.getFileName());
        Path stamp = directory.resolve("source.stamp");
        String source = stampOf(jar);
        try {
            if (!Files.isRegularFile(extracted) || !Files.isRegularFile(stamp)
                    || !Files.readString(stamp).equals(source)) {
                deleteRecursively(directory);
                Files.createDirectories(directory);
                extract(directory.resolve("app"));
                Files.writeString(stamp, source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare the AOT cache of " + service + " in " + directory, e);
        }
        Path cache = cache();
        String option = Files.isRegularFile(cache) ? "-XX:AOTCache=" + cache : "-XX:AOTCacheOutput=" + cache;
        return List.of(option, "-jar", extracted.toString());
    }

    Path cache() {
        return directory.resolve(service + ".aot");
    }

    private void extract(Path destination) throws IOException {
        Path log = directory.resolve("extract.log");
        Process process = new ProcessBuilder(java, "-Djarmode=tools", "-jar", jar.toString(), "extract",
                "--destination", destination.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(EXTRACT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackException("extracting " + jar + " for the AOT cache took over "
                        + EXTRACT_TIMEOUT.toMinutes() + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while extracting " + jar);
        }
        if (process.exitValue() != 0) {
            throw new StackException("extracting " + jar + " for the AOT cache failed (exit " + process.exitValue()
                    + "):\n" + ManagedProcess.logTail(log, 20));
        }
    }

    private static String stampOf(Path jar) {
        try {
            return Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
