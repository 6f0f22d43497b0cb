package dev.tally.ledger.readers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The connections HTTP readers of the event store use: a small pool of its own, with a statement timeout on every
 * connection. The command path (Axon, the projections, the Kafka listeners) keeps {@code spring.datasource}'s pool to
 * itself, so slow or many readers make readers wait, never commands.
 *
 * <p>Deliberately not a {@code DataSource} bean: one would make Spring Boot back off from the command path's.
 */
@Component
@EnableConfigurationProperties(ReaderSettings.class)
public class ReaderPool implements DisposableBean {

    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final ReaderSettings settings;

    public ReaderPool(ReaderSettings settings) {
        this.settings = settings;
        HikariConfig config = new HikariConfig();
        config.setPoolName("ledger-readers");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(0);
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setReadOnly(true);
        // Enforced by PostgreSQL itself, so a query is cancelled even if this process stops watching it.
        config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeout().toMillis());
        // Like the command path's pool, connect on first use: a database that is briefly away does not stop startup.
        config.setInitializationFailTimeout(-1);
        this.dataSource = new HikariDataSource(config);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public ReaderSettings settings() {
        return settings;
    }

    @Override
    public void destroy() {
        dataSource.close();
    }
}
