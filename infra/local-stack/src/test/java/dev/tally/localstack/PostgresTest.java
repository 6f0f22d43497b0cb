package dev.tally.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL of ./tally up checks passwords: no local user connects as superuser without one. */
class PostgresTest {

    private static final String PASSWORD = "generated-password_0123456789abcdefghij";

    @TempDir
    Path folder;

    @Test
    void a_new_data_folder_takes_only_the_password_from_the_secrets_file() throws Exception {
        Path data = folder.resolve("postgres");
        Postgres postgres = Postgres.startEmbedded(data, freePort(), folder.resolve("logs/postgres.log"), Map.of(),
                PASSWORD);
        try {
            assertThat(postgres.password()).isEqualTo(PASSWORD);
            assertThat(authMethods(postgres)).containsOnly("scram-sha-256");
            assertRefusedWithout(postgres);
            try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .as("the password file initdb read is gone").noneMatch(name -> name.contains("password"));
            }
        } finally {
            postgres.stop();
        }
    }

    @Test
    void a_data_folder_made_with_trust_moves_to_the_password_and_keeps_its_data() throws Exception {
        Path data = folder.resolve("postgres");
        int port = freePort();
        // As ./tally up made it before: zonky's default initdb, trust for everyone.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPort(port).setRegisterShutdownHook(false).start();
                Connection connection = old.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table kept (id int)");
            statement.execute("insert into kept values (42)");
        }

        Postgres postgres = Postgres.startEmbedded(data, port, folder.resolve("logs/postgres.log"), Map.of(),
                PASSWORD);
        try {
            assertThat(authMethods(postgres)).containsOnly("scram-sha-256");
            assertRefusedWithout(postgres);
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres",
                    PASSWORD); Statement statement = connection.createStatement();
                    ResultSet kept = statement.executeQuery("select id from kept")) {
                assertThat(kept.next()).isTrue();
                assertThat(kept.getInt(1)).isEqualTo(42);
            }
        } finally {
            postgres.stop();
        }
        Postgres again = Postgres.startEmbedded(data, port, folder.resolve("logs/postgres.log"), Map.of(), PASSWORD);
        try {
            assertThat(authMethods(again)).as("the next start finds it moved").containsOnly("scram-sha-256");
        } finally {
            again.stop();
        }
    }

    private static List<String> authMethods(Postgres postgres) throws SQLException {
        List<String> methods = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", PASSWORD);
                Statement statement = connection.createStatement();
                ResultSet rules = statement.executeQuery("select distinct auth_method from pg_hba_file_rules")) {
            while (rules.next()) {
                methods.add(rules.getString(1));
            }
        }
        return methods;
    }

    private static void assertRefusedWithout(Postgres postgres) {
        for (String password : new String[] {"postgres", "", "wrong"}) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", password)
                    .close()).as("password '%s'", password).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
