package org.mmsim.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One journaled operation: the session's state at {@code version} is the one after it. */
@Entity
@Table(name = "mm_journal")
@IdClass(JournalEntry.Key.class)
public class JournalEntry {

    /** The composite key {@code (session_id, version)}. */
    public record Key(String sessionId, long version) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "session_id")
    private String sessionId;

    @Id
    private long version;

    @Column(nullable = false)
    private String op;

    @Column(nullable = false, columnDefinition = "text")
    private String params;

    @Column(nullable = false, columnDefinition = "text")
    private String result;

    @Column(nullable = false)
    private Instant at;

    protected JournalEntry() {
    }

    public JournalEntry(String sessionId, long version, String op, String params, String result, Instant at) {
        this.sessionId = sessionId;
        this.version = version;
        this.op = op;
        this.params = params;
        this.result = result;
        this.at = at;
    }

    public String getSessionId() {
        return sessionId;
    }

    public long getVersion() {
        return version;
    }

    public String getOp() {
        return op;
    }

    public String getParams() {
        return params;
    }

    public String getResult() {
        return result;
    }

    public Instant getAt() {
        return at;
    }
}
