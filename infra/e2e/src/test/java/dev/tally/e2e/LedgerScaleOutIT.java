package dev.tally.e2e;

import dev.tally.e2e.support.E2EStack;
import dev.tally.e2e.support.Gateway;
import dev.tally.e2e.support.Load;
import dev.tally.e2e.support.Org;
import dev.tally.e2e.support.Settlement;
import dev.tally.localstack.LocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out, the way users outgrow one machine: a second ledger-service process shares the command partitions with
 * the first; the one serving an organisation's partition is killed with -9 under load spread over that
 * organisation's agents, its partitions move to the survivor, and nothing is lost or applied twice.
 */
@Order(9)
@ExtendWith(E2EStack.class)
class LedgerScaleOutIT {

    private static final String COMMANDS = "tally.ledger.commands";
    /** The intake listener's id, which spring-kafka makes its consumer group. */
    private static final String GROUP = "ledger-commands";
    /** The second process's consumers are named after it, so the group's assignment says which process has what. */
    private static final String SECOND_CLIENT = "ledger-second";

    @Test
    void killing_the_ledger_process_that_serves_an_organisation_moves_its_partitions_and_loses_nothing()
            throws Exception {
        LocalStack stack = E2EStack.get();
        Org org = Org.create("Ledger scale-out");
        org.purchase(100_000, "scale-out");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add(org.agent("spread-" + i).key());
        }
        Gateway gateway = E2EStack.gateway();
        keys.forEach(gateway::awaitKnown);

        String second = stack.addReplica(LocalStack.LEDGER,
                List.of("--spring.kafka.consumer.client-id=" + SECOND_CLIENT));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrapServers()))) {
            int partitions = admin.describeTopics(List.of(COMMANDS)).allTopicNames().get().get(COMMANDS)
                    .partitions().size();
            TopicPartition orgPartition = new TopicPartition(COMMANDS,
                    Utils.toPositive(Utils.murmur2(org.id().getBytes(StandardCharsets.UTF_8))) % partitions);
            await("both processes own command partitions").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        java.util.Collection<MemberDescription> members = group(admin).members();
                        return members.stream().anyMatch(LedgerScaleOutIT::isSecond)
                                && members.stream().anyMatch(m -> !isSecond(m))
                                && owner(admin, orgPartition).isPresent();
                    });
            String victim = isSecond(owner(admin, orgPartition).orElseThrow()) ? second : LocalStack.LEDGER;
            System.out.printf("e2e: %s of %d partitions is served by %s; killing it%n", orgPartition, partitions,
                    victim);

            List<Load.Sent> sent;
            long killed;
            try (Load load = Load.start(gateway, keys, 4)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.count(200) >= 30);
                stack.killService(victim);
                killed = System.nanoTime();
                // The survivor takes the partitions over once the group notices the death (session timeout), and
                // the gateways are served again without anyone restarting anything.
                await("the survivor owns every partition").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> {
                            ConsumerGroupDescription group = group(admin);
                            return group.members().stream().noneMatch(m -> isSecond(m) == victim.equals(second))
                                    && assigned(group) == partitions;
                        });
                long movedAt = System.nanoTime();
                System.out.printf("e2e: partitions moved to the survivor %.1f s after the kill%n",
                        (movedAt - killed) / 1e9);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> LedgerCrashIT.servedAfter(load, movedAt) >= 20);
                sent = load.stop();
            }
            if (victim.equals(LocalStack.LEDGER)) {
                // The ledger's HTTP API (read by the checks below) is the first process's.
                stack.startService(LocalStack.LEDGER);
            }

            List<Gateway.Answer> answers = sent.stream().map(Load.Sent::answer).toList();
            LedgerCrashIT.summarize("ledger scale-out", answers);
            assertThat(answers).as("only 200, or 503/502 while the partition had no live owner")
                    .allSatisfy(a -> assertThat(a.status()).as(a.body()).isIn(200, 502, 503));
            Settlement.assertNoCreditLost(org.id(), 100_000, answers,
                    E2EStack.RESERVATION_TTL.plus(Duration.ofSeconds(30)));
        } finally {
            // The tests after this one expect the stack as it was: the first ledger process, and only it.
            stack.stopService(second);
            if (!stack.isRunning(LocalStack.LEDGER)) {
                stack.startService(LocalStack.LEDGER);
            }
        }
    }

    private static ConsumerGroupDescription group(Admin admin) throws Exception {
        return admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
    }

    private static Optional<MemberDescription> owner(Admin admin, TopicPartition partition) throws Exception {
        return group(admin).members().stream()
                .filter(m -> m.assignment().topicPartitions().contains(partition)).findFirst();
    }

    private static int assigned(ConsumerGroupDescription group) {
        return group.members().stream().mapToInt(m -> (int) m.assignment().topicPartitions().stream()
                .filter(p -> p.topic().equals(COMMANDS)).count()).sum();
    }

    private static boolean isSecond(MemberDescription member) {
        return member.clientId().startsWith(SECOND_CLIENT);
    }
}
