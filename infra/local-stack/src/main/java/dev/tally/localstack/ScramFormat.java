package dev.tally.localstack;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's storage format with the stack's SCRAM user added ({@code --add-scram}), run as the broker's own process.
 * The password comes from the environment: the stack writes every command line it runs into the log.
 */
public final class ScramFormat {

    static final String PASSWORD_VARIABLE = "TALLY_KAFKA_SCRAM_PASSWORD";

    private ScramFormat() {
    }

    /** {@code args}: StorageTool's own, e.g. {@code format -t <cluster id> -c server.properties}. */
    public static void main(String[] args) throws ReflectiveOperationException {
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null || password.isBlank()) {
            System.err.println(PASSWORD_VARIABLE + " is not set");
            System.exit(2);
        }
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--add-scram");
        all.add("SCRAM-SHA-512=[name=" + Secrets.KAFKA_USER + ",password=" + password + "]");
        // By name: kafka_2.13 is on the broker's classpath, not on the launcher's compile path.
        Class.forName("kafka.tools.StorageTool").getMethod("main", String[].class)
                .invoke(null, (Object) all.toArray(String[]::new));
    }

    /** This class's jar or classes folder, for the format process's classpath. */
    static String codeLocation() {
        try {
            return Path.of(ScramFormat.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
