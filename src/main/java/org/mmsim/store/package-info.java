/**
 * Persistence: sessions, the operation journal and snapshots, as JPA entities over the Flyway
 * schema in {@code db/migration}, which runs unchanged on H2 and PostgreSQL. The journal is the
 * truth; {@code (session_id, version)} is unique so that two writers can never both append the
 * same version. Never imports {@code org.mmsim.api}.
 */
package org.mmsim.store;
