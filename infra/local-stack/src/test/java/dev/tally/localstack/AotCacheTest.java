package dev.tally.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AotCacheTest {

    /** Built before this module (it is one of its dependencies); copied, since the test changes it. */
    private static final Path SERVICE_JAR = Path.of("../../notification-service/target/notification-service-"
            + StackOptions.VERSION + ".jar");

    @TempDir
    Path temp;

    @Test
    void a_jdk_is_known_by_the_release_file_of_its_home() throws Exception {
        assertThat(AotCache.featureVersion(jdk("25", "\"25.0.3\""))).isEqualTo(25);
        assertThat(AotCache.featureVersion(jdk("17", "\"17.0.15\""))).isEqualTo(17);
        assertThat(AotCache.featureVersion(temp.resolve("none"))).isZero();
    }

    @Test
    void a_jdk_before_25_is_refused_naming_the_option_that_gives_another() throws Exception {
        Path jdk17 = jdk("17", "\"17.0.15\"");

        assertThatThrownBy(() -> AotCache.checkJdk(jdk17.resolve("bin/java").toString()))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("JDK 25 or later").hasMessageContaining("is JDK 17")
                .hasMessageContaining("--service-java");
        AotCache.checkJdk(jdk("25", "\"25.0.3\"").resolve("bin/java").toString());
    }

    @Test
    void the_first_run_records_the_cache_the_next_reads_it_and_a_new_jar_starts_over() throws Exception {
        Path jar = temp.resolve("notification-service.jar");
        Files.copy(SERVICE_JAR, jar);
        AotCache aot = new AotCache("notification-service", jar, temp.resolve("data"),
                ManagedProcess.javaExecutable());
        Path extracted = temp.resolve("data/aot/notification-service/app/notification-service.jar");

        assertThat(aot.launchArguments()).containsExactly("-XX:AOTCacheOutput=" + aot.cache(), "-jar",
                extracted.toString());
        assertThat(extracted).isRegularFile();
        assertThat(extracted.resolveSibling("lib")).isDirectoryContaining("glob:**.jar");

        Files.writeString(aot.cache(), "what the JVM wrote at exit");
        assertThat(aot.launchArguments()).containsExactly("-XX:AOTCache=" + aot.cache(), "-jar",
                extracted.toString());

        // A rebuilt jar: the cache belongs to the old class path and is dropped.
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(aot.launchArguments()).first().isEqualTo("-XX:AOTCacheOutput=" + aot.cache());
        assertThat(aot.cache()).doesNotExist();
    }

    private Path jdk(String name, String version) throws Exception {
        Path home = Files.createDirectories(temp.resolve(name));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=" + version + "\n");
        return home;
    }
}
