package dev.tally.governance;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot 4's R2DBC starter no longer brings the connection pool: without it every query opened a PostgreSQL
 * connection of its own (a backend process forked, the driver's type lookup run again), a cost on every request.
 * The service's own application.yml, read as the service reads it, must give a pool.
 */
class DatabasePoolTest {

    @Test
    void queries_share_a_pool_of_connections_instead_of_opening_one_each() {
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ConnectionFactory factory = context.getBean(ConnectionFactory.class);
                    assertThat(factory).isInstanceOf(ConnectionPool.class);
                    assertThat(((ConnectionPool) factory).getMetrics().orElseThrow().getMaxAllocatedSize())
                            .isEqualTo(10);
                });
    }
}
