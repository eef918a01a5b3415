package org.mmsim.session;

import org.springframework.boot.test.context.SpringBootTest;

/** The persistence contract on the embedded H2 database, always. */
@SpringBootTest(properties = {
    "spring.datasource.url=jdbc:h2:mem:persistence;DB_CLOSE_DELAY=-1",
    "mmsim.snapshot-every=10"})
class H2PersistenceTest extends PersistenceContract {
}
