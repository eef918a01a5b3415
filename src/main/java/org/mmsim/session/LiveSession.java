package org.mmsim.session;

import org.mmsim.kernel.machine.Machine;

/** A machine in memory with the committed version it is at. Guarded by its session's lock. */
final class LiveSession {

    final String id;
    final Machine machine;
    /** The version whose state {@link #machine} holds; updated only after the commit succeeded. */
    long version;
    /** Set when a failed request may have left the machine ahead of the database: never snapshot it. */
    boolean poisoned;

    LiveSession(String id, Machine machine, long version) {
        this.id = id;
        this.machine = machine;
        this.version = version;
    }
}
