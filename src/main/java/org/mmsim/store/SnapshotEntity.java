package org.mmsim.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A machine encoded by the core's snapshot codec at one version of its session. */
@Entity
@Table(name = "mm_snapshot")
@IdClass(SnapshotEntity.Key.class)
public class SnapshotEntity {

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
    private int format;

    @Column(nullable = false)
    private byte[] data;

    @Column(name = "taken_at", nullable = false)
    private Instant takenAt;

    protected SnapshotEntity() {
    }

    public SnapshotEntity(String sessionId, long version, int format, byte[] data, Instant takenAt) {
        this.sessionId = sessionId;
        this.version = version;
        this.format = format;
        this.data = data;
        this.takenAt = takenAt;
    }

    public String getSessionId() {
        return sessionId;
    }

    public long getVersion() {
        return version;
    }

    public int getFormat() {
        return format;
    }

    public byte[] getData() {
        return data;
    }

    public Instant getTakenAt() {
        return takenAt;
    }
}
