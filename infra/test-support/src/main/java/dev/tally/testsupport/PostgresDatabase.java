package dev.tally.testsupport;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/** Connection coordinates of one database on the shared test PostgreSQL server. */
public record PostgresDatabase(String name, String host, int port, String username, String password) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + name;
    }

    // Unpooled on purpose: tests that want a pool get one from Spring via springProperties().
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(name);
        dataSource.setUser(username);
        dataSource.setPassword(password);
        return dataSource;
    }
}
