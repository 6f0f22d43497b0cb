package dev.tally.events;

import dev.tally.events.envelope.MessageType;
import dev.tally.events.json.TallyJson;
import dev.tally.events.ledger.LedgerMessageTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the wire form of every ledger message. A change to a record or to {@link TallyJson} that alters the JSON fails
 * here; when it is intended, regenerate with {@code ./mvnw -pl shared-events test -Dgolden.update=true} and commit
 * the diff of {@code src/test/resources/golden}, which then shows the wire-format change for review.
 */
class GoldenJsonTest {

    private static final Path GOLDEN = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/golden/ledger");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

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

    @Test
    void every_golden_file_belongs_to_a_registered_message_type() throws IOException {
        List<String> registered = LedgerMessageTypes.all().stream().map(GoldenJsonTest::fileName).toList();

        List<String> present = List.of();
        if (Files.isDirectory(GOLDEN)) {
            try (Stream<Path> files = Files.list(GOLDEN)) {
                present = files.map(f -> f.getFileName().toString()).sorted().toList();
            }
        }

        assertThat(present).as("golden files in %s; delete those of removed or renamed types", GOLDEN)
                .isSubsetOf(registered);
    }

    static String prettyJson(Object message) {
        var mapper = TallyJson.mapper();
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(TallyJson.write(message)))
                + "\n";
    }

    private static Path goldenFile(MessageType<?> type) {
        return GOLDEN.resolve(fileName(type));
    }

    private static String fileName(MessageType<?> type) {
        return type.name() + ".v" + type.version() + ".json";
    }

    private static String normalize(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }
}
