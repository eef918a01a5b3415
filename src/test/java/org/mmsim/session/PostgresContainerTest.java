package org.mmsim.session;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The persistence contract on a throw-away PostgreSQL 16 container. Runs where a Docker engine
 * exists; elsewhere JUnit reports it skipped ("disabledWithoutDocker").
 */
@SpringBootTest(properties = "mmsim.snapshot-every=10")
@Testcontainers(disabledWithoutDocker = true)
class PostgresContainerTest extends PersistenceContract {

    @Container
    @ServiceConnection
    static PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");
}
