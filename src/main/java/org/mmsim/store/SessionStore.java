package org.mmsim.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.springframework.stereotype.Repository;

/**
 * Appends that must be inserts, never updates: {@code persist} of an existing journal version
 * fails at flush on the primary key, so a second writer can never overwrite history.
 */
@Repository
public class SessionStore {

    @PersistenceContext
    private EntityManager em;

    public void insert(SessionEntity session) {
        em.persist(session);
    }

    public void append(JournalEntry entry) {
        em.persist(entry);
    }

    public void insert(SnapshotEntity snapshot) {
        em.persist(snapshot);
    }

    /** Sends pending inserts now, so that a duplicate key fails inside the caller's transaction. */
    public void flush() {
        em.flush();
    }
}
