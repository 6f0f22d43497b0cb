package dev.tally.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.controller.ControllerRequestContext;

/**
 * The tests' KRaft broker (the test kit {@link EmbeddedBackend} starts through spring-kafka-test) with its client
 * listener taking SASL/SCRAM-SHA-512 only, and one SCRAM user. The user is created through the controller's own
 * controller inside this JVM: the broker's SCRAM listener has no user to let anyone in before.
 *
 * <pre>{@code
 * try (ScramKafka kafka = ScramKafka.start("tally", "secret")) {
 *     Admin.create(kafka.clientProperties());   // authenticated as tally
 * }
 * }</pre>
 */
public final class ScramKafka implements AutoCloseable {

    /** The test kit's name for the broker's client listener. */
    private static final String LISTENER = "EXTERNAL";
    private static final int ITERATIONS = 4096;

    private final KafkaClusterTestKit cluster;
    private final String username;
    private final String password;

    private ScramKafka(KafkaClusterTestKit cluster, String username, String password) {
        this.cluster = cluster;
        this.username = username;
        this.password = password;
    }

    public static ScramKafka start(String username, String password) {
        KafkaLogLevels.quietUnlessConfigured();
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                    .setNumControllerNodes(1).build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            EmbeddedBackend.BROKER_PROPERTIES.forEach(builder::setConfigProp);
            brokerSecurity(username, password).forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            createUser(cluster, username, password);
            return new ScramKafka(cluster, username, password);
        } catch (Exception e) {
            if (cluster != null) {
                closeQuietly(cluster);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start the SASL/SCRAM test broker", e);
        }
    }

    /** The client listener and the broker's own connections over SCRAM; the controller's listener as the kit has it. */
    private static Map<String, String> brokerSecurity(String username, String password) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("listener.security.protocol.map", LISTENER + ":SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        properties.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        properties.put("listener.name." + LISTENER.toLowerCase() + ".scram-sha-512.sasl.jaas.config",
                jaas(username, password));
        return properties;
    }

    /**
     * Straight to the active controller: its listener takes no AlterUserScramCredentials from an admin client, and the
     * broker's takes no client before the user exists.
     */
    private static void createUser(KafkaClusterTestKit cluster, String username, String password) throws Exception {
        ScramFormatter formatter = new ScramFormatter(org.apache.kafka.common.security.scram.internals.ScramMechanism
                .SCRAM_SHA_512);
        byte[] salt = formatter.secureRandomBytes();
        AlterUserScramCredentialsRequestData request = new AlterUserScramCredentialsRequestData().setUpsertions(
                List.of(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion().setName(username)
                        .setMechanism(ScramMechanism.SCRAM_SHA_512.type()).setIterations(ITERATIONS).setSalt(salt)
                        .setSaltedPassword(formatter.saltedPassword(password, salt, ITERATIONS))));
        ControllerRequestContext context = new ControllerRequestContext(new RequestHeaderData(),
                KafkaPrincipal.ANONYMOUS, OptionalLong.empty());
        AlterUserScramCredentialsResponseData response = cluster.waitForActiveController()
                .alterUserScramCredentials(context, request).get(30, TimeUnit.SECONDS);
        response.results().forEach(result -> {
            if (result.errorCode() != 0) {
                throw new IllegalStateException("SCRAM user " + username + " not created: " + result.errorMessage());
            }
        });
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public String username() {
        return username;
    }

    /** What a client needs to log in as the user: bootstrap servers, SASL_PLAINTEXT, SCRAM-SHA-512, the JAAS line. */
    public Map<String, Object> clientProperties() {
        return clientProperties(password);
    }

    /** The same, with another password: the broker refuses it. */
    public Map<String, Object> clientProperties(String password) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("sasl.jaas.config", jaas(username, password));
        return properties;
    }

    /**
     * The settings a Tally service reads (service-kit's KafkaSecurity), for a service started against this broker:
     * {@code spring.kafka.bootstrap-servers} and the {@code tally.kafka.*} security settings.
     */
    public Map<String, String> serviceSettings() {
        return Map.of("spring.kafka.bootstrap-servers", bootstrapServers(),
                "tally.kafka.security.protocol", "SASL_PLAINTEXT",
                "tally.kafka.sasl.mechanism", "SCRAM-SHA-512",
                "tally.kafka.sasl.username", username,
                "tally.kafka.sasl.password", password);
    }

    private static String jaas(String username, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + username.replace("\\", "\\\\").replace("\"", "\\\"") + "\" password=\""
                + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";";
    }

    @Override
    public void close() {
        closeQuietly(cluster);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            System.err.println("[tally-test-infra] could not stop the SCRAM test broker: " + e);
        }
    }
}
