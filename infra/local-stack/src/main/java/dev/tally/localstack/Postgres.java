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
 *
 * <p>The embedded server checks every connection's password with scram-sha-256, local and TCP alike: its superuser's
 * password is generated into the data folder's secrets file ({@link Secrets#postgresPassword()}), so another user of
 * the machine cannot connect as superuser the way trust authentication let anyone.
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

    static Postgres startEmbedded(Path dataDirectory, int port, Path logFile, Map<String, String> settings,
            String password) {
        Path passwordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".initdb-password");
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(logFile.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            // zonky runs initdb with "-A trust" and passes its "locale" settings on as --name=value after that, so
            // these two make the cluster scram-sha-256 from its first moment, with the superuser's password read from
            // a file (0600, deleted below) rather than a command line. initdb runs only on an empty data directory.
            OwnerOnly.write(passwordFile, password + "\n");
            builder.setLocaleConfig("auth", "scram-sha-256");
            builder.setLocaleConfig("pwfile", passwordFile.toString());
            // zonky's own readiness check connects as the superuser: with the password.
            builder.setConnectConfig("password", password);
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
            Postgres postgres = new Postgres("localhost", port, "postgres", password, server);
            postgres.leaveTrust(dataDirectory);
            postgres.createDatabases();
            return postgres;
        } catch (IOException e) {
            throw new StackException("PostgreSQL did not start: " + e.getMessage()
                    + "\n" + ManagedProcess.logTail(logFile, 20), e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException e) {
                // Owner-only, in the owner-only data folder; the next start overwrites it.
            }
        }
    }

    /**
     * A data folder made before the server checked passwords was initialised with trust: the superuser gets the
     * password and {@code pg_hba.conf} scram-sha-256 instead, and the server reloads it. Connecting still works
     * during this (trust takes any password), and no connection is let in without one afterwards.
     */
    private void leaveTrust(Path dataDirectory) {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        try {
            List<String> lines = Files.readAllLines(hba);
            List<String> scram = lines.stream().map(line -> line.strip().startsWith("#") ? line
                    : line.replaceAll("\\btrust\\b", "scram-sha-256")).toList();
            if (scram.equals(lines)) {
                return;
            }
            try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
                    Statement statement = connection.createStatement()) {
                // The password is URL-safe base64 (Secrets): no quote can end the literal.
                statement.execute("set password_encryption = 'scram-sha-256'");
                statement.execute("alter role " + user + " password '" + password + "'");
                Files.write(hba, scram);
                statement.execute("select pg_reload_conf()");
            }
        } catch (IOException | SQLException e) {
            throw new StackException("could not move PostgreSQL in " + dataDirectory
                    + " from trust to password authentication: " + e.getMessage(), e);
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
