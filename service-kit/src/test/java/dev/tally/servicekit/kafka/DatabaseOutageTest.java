package dev.tally.servicekit.kafka;

import org.junit.jupiter.api.Test;
import org.springframework.util.backoff.BackOffExecution;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseOutageTest {

    @Test
    void a_refused_connection_deep_in_the_causes_is_an_outage() {
        var failure = new IllegalStateException("projection failed",
                new UncheckedIOException(new java.io.IOException("io", new ConnectException("Connection refused"))));
        assertThat(DatabaseOutage.isOutage(failure)).isTrue();
    }

    @Test
    void connection_and_shutdown_sql_states_are_an_outage_and_a_constraint_violation_is_not() {
        assertThat(DatabaseOutage.isOutage(new SQLException("refused", "08001"))).isTrue();
        assertThat(DatabaseOutage.isOutage(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(DatabaseOutage.isOutage(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(DatabaseOutage.isOutage(new SQLException("too many connections", "53300"))).isTrue();
        assertThat(DatabaseOutage.isOutage(new RuntimeException(new SQLTransientConnectionException("pool")))).isTrue();
        assertThat(DatabaseOutage.isOutage(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseOutage.isOutage(new SQLException("no state"))).isFalse();
    }

    @Test
    void a_failure_of_the_record_itself_is_not_an_outage() {
        assertThat(DatabaseOutage.isOutage(new IllegalArgumentException("bad amount"))).isFalse();
        assertThat(DatabaseOutage.isOutage(new NullPointerException())).isFalse();
    }

    @Test
    void the_back_off_grows_exponentially_up_to_its_cap_and_stops_after_the_total() {
        DatabaseRetry retry = new DatabaseRetry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5),
                Duration.ofSeconds(20));
        BackOffExecution execution = retry.backOff().start();
        long total = 0;
        int tries = 0;
        long wait;
        StringBuilder waits = new StringBuilder();
        while ((wait = execution.nextBackOff()) != BackOffExecution.STOP) {
            waits.append(wait).append(' ');
            total += wait;
            tries++;
        }
        assertThat(waits.toString().trim()).startsWith("1000 2000 4000 5000");
        assertThat(total).isBetween(15_000L, 25_000L);
        assertThat(tries).isGreaterThan(4);
    }

    @Test
    void a_wait_longer_than_the_consumers_poll_interval_allows_is_refused_naming_the_setting() {
        assertThatThrownBy(() -> new DatabaseRetry(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(10),
                Duration.ofMinutes(20)))
                .hasMessageContaining("tally.kafka.database-retry.max-interval");
    }
}
