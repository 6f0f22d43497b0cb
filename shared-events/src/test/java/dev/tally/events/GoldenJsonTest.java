package dev.tally.events;

import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the wire form of every message, one file per type under {@code golden/<domain>/<Name>.v<version>.json}. A
 * change to a record or to {@link TallyJson} that alters the JSON fails here; when it is intended, regenerate with
 * {@code ./mvnw -pl shared-events test -Dgolden.update=true} and commit the diff of {@code src/test/resources/golden},
 * which then shows the wire-format change for review.
 */
class GoldenJsonTest {

    private static final Path GOLDEN = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    /**
     * Pretty-prints through a tree; the tree keeps decimals (prices) as written. TallyJson's own trees read them as
     * doubles, which would turn 0.000150 into 1.5E-4 and no longer read back equal to the BigDecimal written.
     */
    private static final JsonMapper PRETTY = TallyJson.mapper().rebuild()
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void every_message_matches_its_golden_json(MessageType<?> type) throws IOException {
        String actual = prettyJson(SampleMessages.of(type));
        Path file = goldenFile(type);

        if (UPDATE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }

        assertThat(file).as("golden file of %s; run with -Dgolden.update=true to create it", type.name()).exists();
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(normalize(actual))
                .as("JSON of %s differs from %s; if the wire-format change is intended, rerun with"
                        + " -Dgolden.update=true and commit the diff", type.name(), file)
                .isEqualTo(normalize(expected));
        assertThat(TallyJson.read(expected.getBytes(StandardCharsets.UTF_8), type.javaType()))
                .as("golden JSON of %s read back", type.name())
                .isEqualTo(SampleMessages.of(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#types")
    void every_message_reads_back_equal_to_what_was_written(MessageType<?> type) {
        Object sample = SampleMessages.of(type);

        Object read = TallyJson.read(TallyJson.write(sample), type.javaType());

        assertThat(read).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.tally.events.SampleMessages#domains")
    void every_golden_file_belongs_to_a_registered_message_type(String domain) throws IOException {
        Path dir = GOLDEN.resolve(domain);
        List<String> registered = SampleMessages.registered().stream().filter(type -> type.domain().equals(domain))
                .map(GoldenJsonTest::fileName).toList();

        assertThat(list(dir)).as("golden files in %s; delete those of removed or renamed types", dir)
                .isSubsetOf(registered);
    }

    @Test
    void every_golden_directory_is_a_domain() throws IOException {
        assertThat(list(GOLDEN)).as("directories in %s", GOLDEN)
                .isSubsetOf(SampleMessages.domains().toList());
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    static String prettyJson(Object message) {
        return PRETTY.writerWithDefaultPrettyPrinter().writeValueAsString(PRETTY.readTree(TallyJson.write(message)))
                + "\n";
    }

    private static Path goldenFile(MessageType<?> type) {
        return GOLDEN.resolve(type.domain()).resolve(fileName(type));
    }

    private static String fileName(MessageType<?> type) {
        return type.name() + ".v" + type.version() + ".json";
    }

    private static String normalize(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }
}
