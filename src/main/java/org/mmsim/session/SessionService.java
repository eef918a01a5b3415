package org.mmsim.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.mmsim.config.MmsimProperties;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.store.JournalEntry;
import org.mmsim.store.JournalRepository;
import org.mmsim.store.SessionEntity;
import org.mmsim.store.SessionRepository;
import org.mmsim.store.SessionStore;
import org.mmsim.store.SnapshotEntity;
import org.mmsim.store.SnapshotRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sessions and the path every change takes.
 *
 * <p>A mutation: take the session's in-process lock, open a transaction, lock the session row
 * ({@code SELECT … FOR UPDATE}, which serialises writers across server processes), bring the
 * live machine to the row's version (rebuild it when it is missing or behind), apply the
 * operations, append them to the journal, bump the version, store a snapshot every
 * {@code mmsim.snapshot-every} versions, commit — and only then answer. Any failure throws the
 * live machine away, so memory never runs ahead of the database.
 */
@Service
public class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);

    private final SessionRepository sessions;
    private final JournalRepository journal;
    private final SnapshotRepository snapshots;
    private final SessionStore store;
    private final OperationJson json;
    private final MmsimProperties props;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SessionLocks locks = new SessionLocks();
    private final Cache<String, LiveSession> live;

    public SessionService(SessionRepository sessions, JournalRepository journal, SnapshotRepository snapshots,
            SessionStore store, OperationJson json, MmsimProperties props, TransactionTemplate tx, Clock clock) {
        this.sessions = sessions;
        this.journal = journal;
        this.snapshots = snapshots;
        this.store = store;
        this.json = json;
        this.props = props;
        this.tx = tx;
        this.clock = clock;
        this.live = Caffeine.newBuilder()
                .maximumSize(props.liveMachines())
                // asynchronous, after the removal: it takes the session lock and writes to the
                // database, which must never happen inside the cache's own atomic eviction
                .removalListener(this::onEviction)
                .build();
    }

    /** What a client sees of a session. */
    public record SessionInfo(String id, String client, Instant createdAt, long version, String preset,
            MachineConfig config) {
    }

    /** One applied operation: the version it produced, the operation and what it did. */
    public record Applied(long version, Operation operation, OperationResult result) {
    }

    /** One journal row as stored: JSON params and result. */
    public record JournalRecord(long version, String op, String params, String result, Instant at) {
    }

    /** Boots a machine from {@code config} and stores it as version 0 of a new session. */
    public SessionInfo create(String client, String preset, MachineConfig config, String configJson) {
        long maxBytes = props.maxMemoryPerSession().toBytes();
        if (config.totalMemoryBytes() > maxBytes) {
            throw new LimitExceededException("machine.nodes", "the machine has " + config.totalMemoryBytes()
                    + " bytes of memory; this server allows at most " + maxBytes + " per session (mmsim.max-memory-per-session)");
        }
        long maxSwap = props.maxSwapPerSession().toBytes();
        if (config.swapBytes() > maxSwap) {
            throw new LimitExceededException("machine.swap", "the machine has " + config.swapBytes()
                    + " bytes of swap; this server allows at most " + maxSwap + " per session (mmsim.max-swap-per-session)");
        }
        if (config.nodes().size() > props.maxNodes()) {
            throw new LimitExceededException("machine.nodes", "the machine has " + config.nodes().size()
                    + " nodes; this server allows at most " + props.maxNodes() + " (mmsim.max-nodes)");
        }
        Machine machine = new Machine(config);
        return insertSession(client, preset, configJson, machine);
    }

    /**
     * A new session whose version 0 is the state of session {@code id} at {@code version}: the
     * snapshot codec carries the whole machine over, so the branch goes on exactly from there.
     */
    public SessionInfo branch(String id, long version, String client) {
        SessionEntity parent = sessions.findById(id).orElseThrow(() -> notFound(id));
        Machine machine = MachineCodec.decode(readAt(id, version, MachineCodec::encode));
        return insertSession(client, parent.getPreset(), parent.getMachine(), machine);
    }

    /** Stores a new session whose version 0 is {@code machine}, within the session limit, and caches it. */
    private SessionInfo insertSession(String client, String preset, String configJson, Machine machine) {
        byte[] snapshot = MachineCodec.encode(machine);
        String id = UUID.randomUUID().toString();
        Instant now = now();
        SessionEntity row = new SessionEntity(id, client, now, preset, configJson);
        tx.executeWithoutResult(status -> {
            if (sessions.count() >= props.maxSessions()) {
                throw new LimitExceededException("session", "this server holds its maximum of "
                        + props.maxSessions() + " sessions (mmsim.max-sessions); delete some first");
            }
            store.insert(row);
            store.insert(new SnapshotEntity(id, 0, MachineCodec.FORMAT, snapshot, now));
        });
        live.put(id, new LiveSession(id, machine, 0));
        return info(row, machine.config());
    }

    /** A session as stored: its row, without loading the machine. */
    public SessionSummary get(String id) {
        return summary(sessions.findById(id).orElseThrow(() -> notFound(id)));
    }

    /** A session as listed: the stored config JSON, without loading the machine. */
    public record SessionSummary(String id, long version, Instant createdAt, String preset, String configJson) {
    }

    public Page<SessionSummary> list(String client, Pageable pageable) {
        return sessions.findByClient(client, pageable).map(SessionService::summary);
    }

    private static SessionSummary summary(SessionEntity row) {
        return new SessionSummary(row.getId(), row.getVersion(), row.getCreatedAt(), row.getPreset(),
                row.getMachine());
    }

    public void delete(String id) {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            tx.executeWithoutResult(status -> {
                SessionEntity row = sessions.findForUpdate(id).orElseThrow(() -> notFound(id));
                sessions.delete(row);
            });
            live.invalidate(id);
        } finally {
            lock.unlock();
        }
    }

    /** Reads the current state of a session's machine under its lock. */
    public <R> R read(String id, Function<Machine, R> reader) {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            long version = sessions.findVersion(id).orElseThrow(() -> notFound(id));
            return reader.apply(current(id, version).machine);
        } finally {
            lock.unlock();
        }
    }

    /** Reads a session's machine as it was at {@code version}: nearest snapshot plus replay. */
    public <R> R readAt(String id, long version, Function<Machine, R> reader) {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            long current = sessions.findVersion(id).orElseThrow(() -> notFound(id));
            if (version < 0 || version > current) {
                throw new NotFoundException("version", "session " + id + " has versions 0.." + current
                        + ", not " + version);
            }
            if (version == current) {
                return reader.apply(current(id, current).machine);
            }
            return reader.apply(rebuild(id, version));
        } finally {
            lock.unlock();
        }
    }

    /** {@link #apply(String, List)} of one operation: its result. */
    public Applied apply(String id, Operation operation) {
        return apply(id, List.of(operation)).get(0);
    }

    /**
     * Applies operations in order, all or nothing, and journals them in the transaction that
     * answers the client.
     */
    public List<Applied> apply(String id, List<Operation> operations) {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        LiveSession session = null;
        try {
            List<Applied> applied = new ArrayList<>(operations.size());
            LiveSession[] holder = new LiveSession[1];
            long newVersion = tx.execute(status -> {
                SessionEntity row = sessions.findForUpdate(id).orElseThrow(() -> notFound(id));
                LiveSession s = current(id, row.getVersion());
                holder[0] = s;
                long version = row.getVersion();
                Instant at = now();
                for (Operation op : operations) {
                    OperationResult result = s.machine.apply(op);
                    version++;
                    store.append(new JournalEntry(id, version, op.opName(), json.params(op), json.result(result), at));
                    applied.add(new Applied(version, op, result));
                    if (version % props.snapshotEvery() == 0) {
                        store.insert(new SnapshotEntity(id, version, MachineCodec.FORMAT,
                                MachineCodec.encode(s.machine), at));
                    }
                }
                row.setVersion(version);
                store.flush();
                return version;
            });
            session = holder[0];
            session.version = newVersion;
            return applied;
        } catch (DataIntegrityViolationException | ObjectOptimisticLockingFailureException e) {
            discard(id, session);
            throw new SessionConflictException("another writer changed session " + id + " at the same time; retry", e);
        } catch (RuntimeException e) {
            discard(id, session);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Stores a snapshot of the current state (if none exists at this version) and returns its version. */
    public long snapshot(String id) {
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            long version = sessions.findVersion(id).orElseThrow(() -> notFound(id));
            LiveSession s = current(id, version);
            storeSnapshot(s);
            return version;
        } finally {
            lock.unlock();
        }
    }

    public List<Long> snapshotVersions(String id) {
        requireExists(id);
        return snapshots.findVersions(id);
    }

    public Page<JournalRecord> journal(String id, Pageable pageable) {
        requireExists(id);
        return journal.findBySessionIdOrderByVersionAsc(id, pageable)
                .map(e -> new JournalRecord(e.getVersion(), e.getOp(), e.getParams(), e.getResult(), e.getAt()));
    }

    /** Journal rows with {@code after < version <= upTo}, oldest first, at most {@code limit}. */
    public List<JournalRecord> journalRange(String id, long after, long upTo, int limit) {
        requireExists(id);
        return journal.findRange(id, after, upTo).stream().limit(limit)
                .map(e -> new JournalRecord(e.getVersion(), e.getOp(), e.getParams(), e.getResult(), e.getAt()))
                .toList();
    }

    /** The live machine at {@code version}, rebuilt when absent or behind (another replica wrote). */
    private LiveSession current(String id, long version) {
        LiveSession s = live.getIfPresent(id);
        if (s != null && s.version == version && !s.poisoned) {
            return s;
        }
        LiveSession rebuilt = new LiveSession(id, rebuild(id, version), version);
        live.put(id, rebuilt);
        return rebuilt;
    }

    /** The state at {@code version}: the newest snapshot at or before it, then the journal replayed. */
    private Machine rebuild(String id, long version) {
        SnapshotEntity snap = snapshots.findFirstBySessionIdAndVersionLessThanEqualOrderByVersionDesc(id, version)
                .orElseThrow(() -> new IllegalStateException("session " + id + " has no snapshot at or before "
                        + version));
        Machine machine = MachineCodec.decode(snap.getData());
        for (JournalEntry e : journal.findRange(id, snap.getVersion(), version)) {
            OperationResult result = machine.apply(json.read(e.getOp(), e.getParams()));
            String replayed = json.result(result);
            if (!json.tree(replayed).equals(json.tree(e.getResult()))) {
                log.warn("Replay of session {} version {} ({}) gave {} where the journal has {}", id, e.getVersion(),
                        e.getOp(), clip(replayed), clip(e.getResult()));
            }
        }
        return machine;
    }

    /** A result as a log line can carry it: a vmalloc result of an older journal can be megabytes. */
    private static String clip(String text) {
        return text == null || text.length() <= 400 ? text : text.substring(0, 400) + "… (" + text.length() + " chars)";
    }

    private void discard(String id, LiveSession session) {
        if (session != null) {
            session.poisoned = true;
        }
        live.invalidate(id);
    }

    /** Stores a snapshot of a machine the cache dropped for space, so its rebuild replays little. */
    private void onEviction(String id, LiveSession session, RemovalCause cause) {
        if (id == null || session == null || cause != RemovalCause.SIZE) {
            return;
        }
        ReentrantLock lock = locks.of(id);
        lock.lock();
        try {
            if (!session.poisoned && sessions.existsById(id)) {
                storeSnapshot(session);
            }
        } catch (RuntimeException e) {
            log.warn("Could not snapshot evicted session {} at version {}", id, session.version, e);
        } finally {
            lock.unlock();
        }
    }

    private void storeSnapshot(LiveSession s) {
        if (snapshots.existsBySessionIdAndVersion(s.id, s.version)) {
            return;
        }
        byte[] data = MachineCodec.encode(s.machine);
        try {
            tx.executeWithoutResult(status -> store.insert(new SnapshotEntity(s.id, s.version, MachineCodec.FORMAT,
                    data, now())));
        } catch (DataIntegrityViolationException e) {
            log.debug("Snapshot of {} at {} was stored by another writer", s.id, s.version);
        }
    }

    private void requireExists(String id) {
        if (!sessions.existsById(id)) {
            throw notFound(id);
        }
    }

    private SessionInfo info(SessionEntity row, MachineConfig config) {
        return new SessionInfo(row.getId(), row.getClient(), row.getCreatedAt(), row.getVersion(), row.getPreset(),
                config);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static NotFoundException notFound(String id) {
        return new NotFoundException("sid", "no session " + id);
    }
}
