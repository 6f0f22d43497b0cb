package dev.tally.testsupport;

/**
 * What differs between running Kafka and PostgreSQL in-process and in Docker: only how they
 * are started and stopped. Topic and database management is shared and lives in
 * {@link TallyInfrastructure}, so both backends behave the same for callers.
 */
interface InfrastructureBackend {

    String kafkaBootstrapServers();

    /** The {@code postgres} maintenance database, reached as a superuser who may CREATE DATABASE. */
    PostgresDatabase maintenanceDatabase();

    String description();

    /** Takes PostgreSQL away as a crash or a restart would: connections break and new ones are refused. */
    void stopPostgresServer();

    /** Brings PostgreSQL back on the same address with the same data. */
    void startPostgresServer();

    void stop();
}
