package dev.tally.localstack.dlt;

import dev.tally.localstack.StackOptions;
import dev.tally.servicekit.kafka.KafkaSecurity;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ./tally dlt list | replay <topic>... | replay --all}: see {@link #USAGE}. */
public final class DeadLetterCommand {

    static final String USAGE = """
            usage: ./tally dlt list [--bootstrap-servers HOST:PORT]
                   ./tally dlt replay <topic>.DLT... [--bootstrap-servers HOST:PORT]
                   ./tally dlt replay --all [--bootstrap-servers HOST:PORT]

              list     every dead-letter topic, its records and how many no replay has fed back yet
              replay   feeds the records no earlier replay fed back to the topic each came from (its
                       kafka_dlt-original-topic header), with its key, value and envelope headers; the
                       consumers count each ce_id once, so a record fed back twice counts once

              --bootstrap-servers  the Kafka to use (default: TALLY_KAFKA_BOOTSTRAP, else the local stack's
                                   localhost:TALLY_KAFKA_PORT, 19092)

            It logs in as the services do, with the TALLY_KAFKA_SECURITY_PROTOCOL, TALLY_KAFKA_SASL_* and
            TALLY_KAFKA_SSL_* variables of the environment (docs/security.md, "Kafka authentication").
            """;

    private DeadLetterCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        String bootstrap = defaultBootstrap(environment);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--bootstrap-servers") && i + 1 < args.size()) {
                bootstrap = args.get(++i);
            } else if (arg.startsWith("--bootstrap-servers=")) {
                bootstrap = arg.substring("--bootstrap-servers=".length());
            } else {
                words.add(arg);
            }
        }
        if (words.isEmpty() || words.get(0).equals("help")) {
            out.print(USAGE);
            return words.isEmpty() ? 2 : 0;
        }
        try {
            KafkaSecurity security = KafkaSecurity.from(
                    setting -> environment.get(KafkaSecurity.environmentVariable(setting)));
            DeadLetterReplay replay = new DeadLetterReplay(bootstrap, security);
            switch (words.get(0)) {
                case "list" -> {
                    out.printf("%-40s %10s %14s%n", "dead-letter topic", "records", "not replayed");
                    for (DeadLetterReplay.Waiting topic : replay.list()) {
                        out.printf("%-40s %10d %14d%n", topic.topic(), topic.total(), topic.notReplayed());
                    }
                    return 0;
                }
                case "replay" -> {
                    List<String> topics = words.subList(1, words.size());
                    if (topics.equals(List.of("--all"))) {
                        topics = replay.list().stream().map(DeadLetterReplay.Waiting::topic).toList();
                    } else if (topics.isEmpty()) {
                        err.print("tally: name the dead-letter topics to replay, or --all\n\n" + USAGE);
                        return 2;
                    }
                    for (String topic : topics) {
                        DeadLetterReplay.Replayed replayed = replay.replay(topic);
                        out.println("tally: " + topic + ": fed back " + replayed.total() + " record(s)"
                                + (replayed.byTopic().isEmpty() ? "" : " " + replayed.byTopic()));
                    }
                    return 0;
                }
                default -> {
                    err.print("tally: unknown dlt command '" + words.get(0) + "'\n\n" + USAGE);
                    return 2;
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | org.apache.kafka.common.KafkaException e) {
            err.println("tally: " + e.getMessage());
            return 1;
        }
    }

    static String defaultBootstrap(Map<String, String> environment) {
        String bootstrap = environment.get("TALLY_KAFKA_BOOTSTRAP");
        if (bootstrap != null && !bootstrap.isBlank()) {
            return bootstrap;
        }
        String port = environment.getOrDefault("TALLY_KAFKA_PORT", String.valueOf(StackOptions.KAFKA_PORT));
        return "localhost:" + port;
    }
}
