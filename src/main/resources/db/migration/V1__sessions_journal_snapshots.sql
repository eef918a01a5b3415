-- Sessions, their operation journal and their snapshots.
-- The common subset of H2 and PostgreSQL (see ../shared/docs/STACK.md pitfall 4).

CREATE TABLE mm_session (
    id          VARCHAR(36)              NOT NULL PRIMARY KEY,
    client      VARCHAR(200)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    version     BIGINT                   NOT NULL,
    preset      VARCHAR(100),
    machine     TEXT                     NOT NULL
);

CREATE INDEX mm_session_client ON mm_session (client, created_at, id);

-- The journal is the truth. (session_id, version) is the primary key, so a second writer that
-- tries to append a version already taken fails instead of overwriting.
CREATE TABLE mm_journal (
    session_id  VARCHAR(36)              NOT NULL REFERENCES mm_session (id) ON DELETE CASCADE,
    version     BIGINT                   NOT NULL,
    op          VARCHAR(64)              NOT NULL,
    params      TEXT                     NOT NULL,
    result      TEXT                     NOT NULL,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (session_id, version)
);

CREATE TABLE mm_snapshot (
    session_id  VARCHAR(36)              NOT NULL REFERENCES mm_session (id) ON DELETE CASCADE,
    version     BIGINT                   NOT NULL,
    format      INTEGER                  NOT NULL,
    data        BYTEA                    NOT NULL,
    taken_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (session_id, version)
);
