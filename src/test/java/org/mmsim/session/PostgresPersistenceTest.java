package org.mmsim.session;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The persistence contract on a real PostgreSQL server. CI ({@code .ci/run}) starts the server,
 * creates the {@code mmsim_test} database and passes {@code -Dmmsim.pg.url=…}; without that
 * property the test is skipped, saying so.
 */
@SpringBootTest(properties = "mmsim.snapshot-every=10")
@EnabledIfSystemProperty(named = "mmsim.pg.url", matches = "jdbc:postgresql:.+",
        disabledReason = "no PostgreSQL server given: run with -Dmmsim.pg.url=jdbc:postgresql://127.0.0.1:5432/mmsim_test "
                + "(.ci/run does)")
class PostgresPersistenceTest extends PersistenceContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> System.getProperty("mmsim.pg.url"));
        registry.add("spring.datasource.username", () -> System.getProperty("mmsim.pg.user", "mmsim"));
        registry.add("spring.datasource.password", () -> System.getProperty("mmsim.pg.password", "mmsim"));
    }
}
