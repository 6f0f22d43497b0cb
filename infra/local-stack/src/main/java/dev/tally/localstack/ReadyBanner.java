package dev.tally.localstack;

import java.nio.file.Path;
import java.util.Locale;

import dev.tally.servicekit.kafka.KafkaSecurity;

/** What {@code ./tally up} prints once everything is ready: where things are, the keys, and calls to copy. */
final class ReadyBanner {

    private ReadyBanner() {
    }

    static String text(LocalStack stack) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%nTally is ready (%.1f s).%n%n", Progress.seconds(stack.startupTime())));
        for (String url : stack.gatewayUrls()) {
            row(text, "gateway", url + "/v1   (OpenAI-compatible)");
        }
        row(text, "governance", stack.governanceUrl() + "   (admin API, docs/governance.md)");
        row(text, "notifications", stack.notificationUrl() + "   (alerts and channels, docs/notifications.md)");
        row(text, "ledger", stack.ledgerUrl());
        row(text, "dashboard", stack.analyticsUrl() + "/   (sign in with an org admin key; API: docs/analytics.md)");
        row(text, "Kafka", stack.kafkaBootstrapServers() + kafkaSecurity(stack));
        row(text, "PostgreSQL", stack.jdbcUrl("tally_ledger").replace("/tally_ledger", "/")
                + "   (tally_ledger, tally_governance, tally_analytics, tally_notification; user "
                + stack.databaseUser() + postgresPassword(stack) + ")");
        row(text, "data and logs", display(stack.dataDirectory()) + "   (logs/<service>.log)");
        text.append('\n');
        // Not the key itself: terminal scrollback and captured output travel further than a file only the user reads.
        row(text, "admin key", "admin_key in " + display(stack.dataDirectory().resolve("secrets.properties"))
                + "   (platform admin; the file is readable by you only)");
        DemoOrg demo = stack.demo();
        if (demo != null) {
            row(text, "demo org", "\"" + demo.orgName() + "\" " + demo.orgId()
                    + (stack.demoCredits() == null ? "" : ", " + stack.demoCredits() + " credits available"));
            row(text, "demo agent key", demo.agentKey());
            text.append('\n').append(tryIt(stack.gatewayUrl(), demo.agentKey()));
        }
        text.append("\nCtrl-C (or ./tally down from another terminal) stops everything.\n");
        return text.toString();
    }

    static String tryIt(String gatewayUrl, String agentKey) {
        return """
                Try it:

                  curl %1$s/v1/chat/completions \\
                    -H "Authorization: Bearer %2$s" -H "Content-Type: application/json" \\
                    -d '{"model": "mock-model", "messages": [{"role": "user", "content": "Hello!"}]}'

                  # Python (pip install openai)
                  from openai import OpenAI
                  client = OpenAI(api_key="%2$s", base_url="%1$s/v1")
                  answer = client.chat.completions.create(model="mock-model",
                                                          messages=[{"role": "user", "content": "Hello!"}])
                  print(answer.choices[0].message.content, answer.model_extra["x_platform"])
                """.formatted(gatewayUrl, agentKey);
    }

    private static void row(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-16s %s%n", label, value));
    }

    /** Where the embedded server's password is, never the password; an external server's is the user's own. */
    private static String postgresPassword(LocalStack stack) {
        return stack.options().externalPostgres() != null ? ""
                : ", postgres_password in " + display(stack.dataDirectory().resolve("secrets.properties"));
    }

    /** How to log in to the stack's broker; where the password is, never the password. */
    private static String kafkaSecurity(LocalStack stack) {
        if (stack.kafkaSecurity().protocol() == KafkaSecurity.Protocol.PLAINTEXT) {
            return "";
        }
        StringBuilder text = new StringBuilder("   (").append(stack.kafkaSecurity().protocol());
        if (stack.options().kafkaSasl()) {
            text.append(", SCRAM-SHA-512, user ").append(Secrets.KAFKA_USER).append(", kafka_password in ")
                    .append(display(stack.dataDirectory().resolve("secrets.properties")));
        }
        if (stack.kafkaSecurity().truststore() != null) {
            text.append(", truststore ").append(display(Path.of(stack.kafkaSecurity().truststore().location())));
        }
        return text.append(")").toString();
    }

    private static String display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) && !path.equals(cwd) ? cwd.relativize(path).toString() : path.toString();
    }
}
