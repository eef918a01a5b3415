package org.mmsim.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A session row: who created it, when, its machine config (as JSON) and its current version. */
@Entity
@Table(name = "mm_session")
public class SessionEntity {

    @Id
    private String id;

    @Column(nullable = false)
    private String client;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private long version;

    private String preset;

    @Column(nullable = false, columnDefinition = "text")
    private String machine;

    protected SessionEntity() {
    }

    public SessionEntity(String id, String client, Instant createdAt, String preset, String machine) {
        this.id = id;
        this.client = client;
        this.createdAt = createdAt;
        this.preset = preset;
        this.machine = machine;
        this.version = 0;
    }

    public String getId() {
        return id;
    }

    public String getClient() {
        return client;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public String getPreset() {
        return preset;
    }

    /** The machine config as the client-facing JSON document. */
    public String getMachine() {
        return machine;
    }
}
