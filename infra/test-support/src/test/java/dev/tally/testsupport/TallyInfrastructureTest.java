package dev.tally.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TallyInfrastructureTest {

    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

    private final TallyInfrastructure infra = TallyInfrastructure.shared();

    @Test
    void shared_returns_the_same_instance_every_time() {
        assertThat(TallyInfrastructure.shared()).isSameAs(infra);
    }

    @Test
    void postgres_lets_no_connection_in_without_the_generated_password() throws Exception {
        PostgresDatabase database = infra.newDatabase("auth");
        List<String> methods = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rules = statement.executeQuery("select distinct auth_method from pg_hba_file_rules")) {
            while (rules.next()) {
                methods.add(rules.getString(1));
            }
        }
        assertThat(methods).as("pg_hba.conf, local and TCP").containsOnly("scram-sha-256");
        assertThat(database.password()).isNotEqualTo("postgres").hasSizeGreaterThanOrEqualTo(32);

        for (String password : new String[] {"postgres", "wrong", null}) {
            PostgresDatabase guess = new PostgresDatabase(database.name(), database.host(), database.port(),
                    database.username(), password);
            assertThatThrownBy(() -> guess.dataSource().getConnection().close()).as("password %s", password)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(password == null ? "no password was provided" : "password authentication");
        }
    }

    @Test
    void record_produced_to_a_created_topic_is_consumed_back() throws Exception {
        String topic = uniqueTopic("roundtrip");
        infra.createTopics(3, topic);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(null))) {
            producer.send(new ProducerRecord<>(topic, "account-1", "credited 10")).get();
        }

        assertThat(consumeAll(topic, 1, "read_uncommitted"))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo("account-1");
                    assertThat(record.value()).isEqualTo("credited 10");
                });
    }

    @Test
    void transactional_producer_commits_and_read_committed_consumer_sees_the_records() {
        String topic = uniqueTopic("tx");
        infra.createTopics(2, topic);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps("tx-" + UUID.randomUUID()))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "first"));
            producer.send(new ProducerRecord<>(topic, "b", "second"));
            producer.commitTransaction();
        }

        assertThat(consumeAll(topic, 2, "read_committed"))
                .extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void create_topics_is_idempotent_and_uses_the_requested_partition_count() throws Exception {
        String first = uniqueTopic("idem-a");
        String second = uniqueTopic("idem-b");
        infra.createTopics(3, first);

        infra.createTopics(3, first, second);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
            var descriptions = admin.describeTopics(List.of(first, second)).allTopicNames().get();
            assertThat(descriptions.get(first).partitions()).hasSize(3);
            assertThat(descriptions.get(second).partitions()).hasSize(3);
        }
    }

    @Test
    void new_databases_are_distinct_empty_and_usable() throws SQLException {
        PostgresDatabase ledger = infra.newDatabase("ledger");
        PostgresDatabase other = infra.newDatabase("ledger");

        assertThat(ledger.name()).startsWith("ledger_").isNotEqualTo(other.name());
        assertThat(tableCount(ledger)).isZero();
        assertThat(tableCount(other)).isZero();

        try (Connection connection = ledger.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE entry (id bigint PRIMARY KEY, amount numeric NOT NULL)");
            statement.execute("INSERT INTO entry VALUES (1, 10.50), (2, -3.25)");
            try (ResultSet sum = statement.executeQuery("SELECT sum(amount) FROM entry")) {
                sum.next();
                assertThat(sum.getBigDecimal(1)).isEqualByComparingTo("7.25");
            }
        }
        assertThat(tableCount(other)).isZero();
    }

    @Test
    void a_stopped_postgres_refuses_connections_and_comes_back_at_the_same_port_with_its_data() throws SQLException {
        PostgresDatabase db = infra.newDatabase("restart");
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id int PRIMARY KEY)");
            statement.execute("INSERT INTO kept VALUES (42)");
        }
        infra.stopPostgres();
        try {
            assertThatThrownBy(() -> db.dataSource().getConnection().close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
        } finally {
            infra.startPostgres();
        }
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet kept = statement.executeQuery("SELECT id FROM kept")) {
            assertThat(kept.next()).isTrue();
            assertThat(kept.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void database_names_are_sanitized_to_lowercase_identifier_characters() {
        PostgresDatabase db = infra.newDatabase("Ledger-Service Tests!");

        assertThat(db.name()).startsWith("ledger_service_tests__").matches("[a-z0-9_]{1,63}");
    }

    @Test
    void spring_properties_point_at_the_broker_and_the_database() {
        PostgresDatabase db = infra.newDatabase("props");

        assertThat(infra.springProperties(db)).containsOnly(
                entry("spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers()),
                entry("spring.datasource.url", "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.name()),
                entry("spring.datasource.username", db.username()),
                entry("spring.datasource.password", db.password()),
                entry("spring.r2dbc.url", "r2dbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.name()),
                entry("spring.r2dbc.username", db.username()),
                entry("spring.r2dbc.password", db.password()),
                entry("spring.flyway.url", db.jdbcUrl()),
                entry("spring.flyway.user", db.username()),
                entry("spring.flyway.password", db.password()));
    }

    private Properties producerProps(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return props;
    }

    private List<ConsumerRecord<String, String>> consumeAll(String topic, int expected, String isolationLevel) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + CONSUME_TIMEOUT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(250)).forEach(records::add);
            }
        }
        return records;
    }

    private static long tableCount(PostgresDatabase db) throws SQLException {
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static String uniqueTopic(String purpose) {
        return "tally-test-" + purpose + "-" + UUID.randomUUID();
    }
}
