package dev.tally.governance.support;

import dev.tally.events.topic.Topics;
import dev.tally.testsupport.PostgresDatabase;
import dev.tally.testsupport.ServiceProcess;
import dev.tally.testsupport.TallyInfrastructure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real ledger-service, started once per test JVM from its executable jar as its own process (it creates the
 * ledger topics). ServiceProcess stops it when the JVM exits.
 */
public final class LedgerProcess {

    private static ServiceProcess ledger;

    private LedgerProcess() {
    }

    public static synchronized ServiceProcess get(TallyInfrastructure infra) {
        if (ledger == null || !ledger.isAlive()) {
            String jar = System.getProperty("tally.ledger.jar");
            if (jar == null || !Path.of(jar).toFile().isFile()) {
                throw new IllegalStateException("system property tally.ledger.jar must name ledger-service's "
                        + "executable jar (failsafe sets it; run through 'mvn verify'): " + jar);
            }
            // The ledger reads admin keys from the state topic and is not healthy before it can: governance, which
            // creates the topic, starts after it here.
            infra.createTopics(4, Topics.GOVERNANCE_STATE.name());
            PostgresDatabase db = infra.newDatabase("ledger");
            List<String> args = new ArrayList<>();
            infra.springProperties(db).forEach((key, value) -> args.add("--" + key + "=" + value));
            args.add("--logging.level.org.apache.kafka=WARN");
            args.add("--logging.level.org.axonframework=WARN");
            args.add("--tally.ledger.expiry-scan-ms=200");
            ledger = ServiceProcess.start("ledger-service", Path.of(jar), args,
                    Map.of("AXONIQ_UPDATE_CHECKER_DISABLED", "true"), ServiceProcess.freePort());
        }
        return ledger;
    }
}
