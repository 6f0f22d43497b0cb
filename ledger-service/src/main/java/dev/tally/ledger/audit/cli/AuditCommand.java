package dev.tally.ledger.audit.cli;

import dev.tally.events.topic.Topics;
import dev.tally.ledger.audit.file.AuditFileVerifier;
import dev.tally.ledger.audit.file.AuditManifest;
import dev.tally.ledger.audit.file.FileVerification;

import dev.tally.servicekit.kafka.KafkaSecurity;
import org.apache.kafka.clients.CommonClientConfigs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./tally audit …}: the operator's audit commands. It lives in ledger-service's jar, next to the fold it
 * replays with, so the ledger's image runs it as a Kubernetes job and an offline check uses exactly the aggregate's
 * rules. It starts no Spring context. Exit status: 0 all checks passed, 1 a difference or a refusal, 2 a usage mistake.
 */
public final class AuditCommand {

    static final String USAGE = """
            usage: ./tally audit export --org ID [--from INSTANT] [--to INSTANT] --out FILE
                   ./tally audit verify FILE
                   ./tally audit replay --org ID --to INSTANT
                   ./tally audit dlt list | replay TOPIC.DLT... | replay --all   (./tally dlt, local only)
                   ./tally audit verify --org ID | --all  [--skip-topic] [--topic NAME] [--publication-grace S]
              --ledger-url URL   ledger-service's HTTP API (TALLY_LEDGER_URL, default http://localhost:8081)
              --key KEY          an admin key, tadm_… (TALLY_ADMIN_KEY): the organisation's owner or admin, or a
                                 platform admin (--all needs a platform admin)
              --bootstrap-servers HOST:PORT  the Kafka holding tally.ledger.events (TALLY_KAFKA_BOOTSTRAP, else
                                 localhost:TALLY_KAFKA_PORT, 19092); it logs in with the services' TALLY_KAFKA_*
                                 security variables
              --publication-grace S  events stored less than S seconds (default 30) before the topic was read
                                 may still be on their way to it: not reported missing
            Exit status: 0 every check passed, 1 a difference or a refusal, 2 a mistake in the command line.
            """;

    private final PrintStream out;
    private final PrintStream err;

    public AuditCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        quietLogging();
        System.exit(new AuditCommand(System.out, System.err).run(args));
    }

    /** Without Spring, Logback would print the Kafka client's DEBUG lines; the command's own output is the report. */
    private static void quietLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    public int run(String... args) {
        if (args.length == 0 || Set.of("help", "-h", "--help").contains(args[0])) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "export" -> export(new Options(rest, Set.of(), api("org", "from", "to", "out")));
                case "replay" -> replay(new Options(rest, Set.of(), api("org", "to")));
                case "verify" -> verify(new Options(rest, Set.of("all", "skip-topic"), api("org", "topic",
                        "bootstrap-servers", "publication-grace")));
                default -> throw new Options.UsageException("unknown audit command '" + args[0] + "'");
            };
        } catch (Options.UsageException e) {
            err.println("tally audit: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (LedgerApi.ApiFailure e) {
            err.println("tally audit: " + e.getMessage());
            return 1;
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("tally audit: Kafka: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("tally audit: " + e);
            return 1;
        }
    }

    private int export(Options options) throws IOException {
        String ledgerId = options.required("org");
        Path target = Path.of(options.required("out"));
        Instant from = options.instant("from");
        Instant to = options.instant("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new Options.UsageException("--from must be before --to");
        }
        AuditManifest manifest = new ExportCommand(api(options), err).export(ledgerId, from, to, target);
        out.println("exported " + manifest.count() + " events of ledger " + ledgerId + range(manifest) + " to "
                + target + " (last hash " + manifest.lastHash() + ")");
        return 0;
    }

    private int replay(Options options) {
        String ledgerId = options.required("org");
        Instant to = options.instant("to");
        if (to == null) {
            throw new Options.UsageException("--to is required");
        }
        var answer = new ReplayCommand(api(options)).replay(ledgerId, to);
        out.println(answer.toPrettyString());
        return 0;
    }

    private int verify(Options options) throws IOException {
        if (options.get("org") != null || options.flag("all")) {
            return sweep(options);
        }
        if (options.positional().size() != 1) {
            throw new Options.UsageException("verify needs one FILE");
        }
        Path file = Path.of(options.positional().get(0));
        if (!Files.isReadable(file)) {
            throw new Options.UsageException("cannot read " + file);
        }
        FileVerification result = AuditFileVerifier.verify(file);
        if (result.ok()) {
            AuditManifest manifest = result.manifest();
            out.println("OK " + file + ": ledger " + manifest.ledgerId() + ", " + result.events() + " events"
                    + range(manifest) + ", none missing, none altered, the replay gives the manifest's "
                    + manifest.closing().accounts().size() + " balances and " + manifest.closing().budgets().size()
                    + " budget windows");
            return 0;
        }
        result.problems().forEach(problem -> out.println("FAIL " + problem));
        out.println("FAILED " + file + ": " + result.problems().size() + " problem(s)");
        return 1;
    }

    private int sweep(Options options) {
        LedgerApi api = api(options);
        String org = options.get("org");
        List<String> ledgers = org != null ? List.of(org) : Sweep.allLedgers(api);
        TopicIndex topic = null;
        if (!options.flag("skip-topic")) {
            String name = options.get("topic", null, Topics.LEDGER_EVENTS.name());
            topic = TopicIndex.read(kafka(options), name, org == null ? id -> true : org::equals, err);
        }
        Duration grace = Duration.ofSeconds(options.number("publication-grace", 30));
        return new Sweep(api, new LedgerCheck(api, topic, grace), out, err).run(ledgers) ? 0 : 1;
    }

    /** The services' Kafka settings: their bootstrap and security variables (docs/security.md). */
    private static Map<String, Object> kafka(Options options) {
        // As ./tally dlt: the services' bootstrap, else the local stack's broker (StackOptions.KAFKA_PORT).
        String port = Optional.ofNullable(System.getenv("TALLY_KAFKA_PORT")).orElse("19092");
        String bootstrap = options.get("bootstrap-servers", "TALLY_KAFKA_BOOTSTRAP", "localhost:" + port);
        KafkaSecurity security = KafkaSecurity.from(
                setting -> System.getenv(KafkaSecurity.environmentVariable(setting)));
        return security.addTo(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static String range(AuditManifest manifest) {
        return manifest.firstSequence() == null ? ""
                : " (sequences " + manifest.firstSequence() + "–" + manifest.lastSequence() + ")";
    }

    /** The options of a command that calls ledger-service, with {@code own}. */
    private static Set<String> api(String... own) {
        Set<String> names = new java.util.HashSet<>(Set.of(own));
        names.addAll(Set.of("ledger-url", "key"));
        return names;
    }

    private static LedgerApi api(Options options) {
        String url = options.get("ledger-url", "TALLY_LEDGER_URL", "http://localhost:8081");
        String key = options.get("key", "TALLY_ADMIN_KEY", null);
        if (key == null) {
            throw new Options.UsageException("an admin key is needed: --key tadm_… or TALLY_ADMIN_KEY");
        }
        return new LedgerApi(url, key);
    }
}
