package org.mmsim.session;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-session mutual exclusion inside one server process, striped so that memory stays bounded:
 * requests to one session are serialised, different sessions almost always run in parallel.
 * Across processes the database row lock does the same job.
 */
final class SessionLocks {

    private static final int STRIPES = 4096;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    SessionLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String sessionId) {
        int h = sessionId.hashCode();
        return locks[(h ^ h >>> 16) & (STRIPES - 1)];
    }
}
