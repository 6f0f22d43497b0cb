package dev.tally.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL for the services: the embedded binaries (zonky) running a server process over a data directory that
 * survives restarts, or an external server. Either way the services' databases are created when missing.
 */
final class Postgres {

    static final List<String> DATABASES = List.of("tally_ledger", "tally_governance", "tally_analytics",
            "tally_notification");

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private Postgres(String host, int port, String user, String password, EmbeddedPostgres embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    static Postgres startEmbedded(Path dataDirectory, int port, Path logFile, Map<String, String> settings) {
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(logFile.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            // Applied after the builder's defaults, so they win (e.g. synchronous_commit=on for a benchmark).
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres server = builder
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // Stopped by the launcher after the services and Kafka; a hook of its own would race that.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", settings.getOrDefault("max_connections", "300"))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            Postgres postgres = new Postgres("localhost", port, "postgres", "postgres", server);
            postgres.createDatabases();
            return postgres;
        } catch (IOException e) {
            throw new StackException("PostgreSQL did not start: " + e.getMessage()
                    + "\n" + ManagedProcess.logTail(logFile, 20), e);
        }
    }

    static Postgres external(String hostAndPort, String user, String password) {
        int colon = hostAndPort.lastIndexOf(':');
        String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
        int port = colon < 0 ? 5432 : Integer.parseInt(hostAndPort.substring(colon + 1));
        Postgres postgres = new Postgres(host, port, user, password, null);
        postgres.createDatabases();
        return postgres;
    }

    private void createDatabases() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?");
                Statement create = connection.createStatement()) {
            for (String database : DATABASES) {
                exists.setString(1, database);
                try (ResultSet result = exists.executeQuery()) {
                    if (!result.next()) {
                        create.execute("create database " + database);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StackException("could not create the databases " + DATABASES + " on " + host + ":" + port
                    + " as " + user + ": " + e.getMessage(), e);
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    String address() {
        return host + ":" + port;
    }

    void stop() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new StackException("could not stop PostgreSQL: " + e.getMessage(), e);
            }
        }
    }
}
