package org.mmsim.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.mmsim.config.MmsimProperties;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.FreePages;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.store.JournalEntry;
import org.mmsim.store.JournalRepository;
import org.mmsim.store.SessionRepository;
import org.mmsim.store.SessionStore;
import org.mmsim.store.SnapshotEntity;
import org.mmsim.store.SnapshotRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Pageable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the journal and snapshots promise, on whatever database the subclass points at: every
 * acknowledged operation is stored, replay from scratch gives the live machine byte for byte, an
 * evicted session comes back identical, and two server processes never both append a version.
 */
abstract class PersistenceContract {

    @Autowired
    SessionService sessions;
    @Autowired
    SessionRepository sessionRows;
    @Autowired
    JournalRepository journal;
    @Autowired
    SnapshotRepository snapshots;
    @Autowired
    SessionStore store;
    @Autowired
    OperationJson json;
    @Autowired
    MmsimProperties props;
    @Autowired
    TransactionTemplate tx;

    /** A second server process on the same database: its own cache and locks, the same tables. */
    SessionService secondProcess() {
        return new SessionService(sessionRows, journal, snapshots, store, json, props, tx, Clock.systemUTC());
    }

    String newSession() {
        var preset = Presets.byName("x86_64-2node-4g").orElseThrow();
        return sessions.create("persistence-test", preset.name(), preset.machine(), "{}").id();
    }

    /** A deterministic mix: allocations of several orders on both nodes, and frees of some of them. */
    static List<Operation> workload(int n) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(new AllocPages(i % 4, i % 3 == 0 ? "GFP_HIGHUSER_MOVABLE" : "GFP_KERNEL", i % 2, i % 4, null));
        }
        return ops;
    }

    byte[] liveBytes(String id) {
        return sessions.read(id, MachineCodec::encodeRaw);
    }

    /** Replays the whole journal on the machine stored at version 0. */
    byte[] replayFromScratch(String id) {
        SnapshotEntity boot = snapshots.findById(new SnapshotEntity.Key(id, 0)).orElseThrow();
        Machine machine = MachineCodec.decode(boot.getData());
        for (JournalEntry e : journal.findRange(id, 0, Long.MAX_VALUE)) {
            machine.apply(json.read(e.getOp(), e.getParams()));
            machine.checkInvariants();
        }
        return MachineCodec.encodeRaw(machine);
    }

    @Test
    void everyAppliedOperationIsJournaledWithItsVersion() {
        String id = newSession();
        var applied = sessions.apply(id, workload(12));
        assertThat(applied).extracting(SessionService.Applied::version).containsExactly(
                1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(sessionRows.findVersion(id)).contains(12L);
        assertThat(sessions.journal(id, Pageable.ofSize(100)).getContent())
                .extracting(SessionService.JournalRecord::op).containsOnly("alloc_pages");
    }

    @Test
    void replayingTheJournalFromScratchGivesTheLiveMachineByteForByte() {
        String id = newSession();
        var allocated = sessions.apply(id, workload(23));
        AllocPages.Result first = (AllocPages.Result) allocated.get(0).result();
        sessions.apply(id, List.of(new FreePages(first.pfn(), first.order())));
        assertThat(replayFromScratch(id)).isEqualTo(liveBytes(id));
    }

    @Test
    void snapshotsAreStoredEveryNVersionsAndTimeTravelRebuildsOldStates() {
        String id = newSession();
        List<byte[]> states = new ArrayList<>();
        states.add(liveBytes(id));
        for (Operation op : workload(2 * props.snapshotEvery() + 1)) {
            sessions.apply(id, List.of(op));
            states.add(liveBytes(id));
        }
        assertThat(sessions.snapshotVersions(id)).contains(0L, (long) props.snapshotEvery(),
                2L * props.snapshotEvery());
        for (int v = 0; v < states.size(); v++) {
            assertThat(sessions.readAt(id, v, MachineCodec::encodeRaw)).as("version %d", v).isEqualTo(states.get(v));
        }
    }

    @Test
    void anEvictedOrRestartedSessionIsRebuiltIdentically() {
        String id = newSession();
        sessions.apply(id, workload(17));
        byte[] before = liveBytes(id);
        SessionService restarted = secondProcess();
        assertThat(restarted.read(id, MachineCodec::encodeRaw)).isEqualTo(before);
        // and it goes on from there exactly as the first process would have
        var next = restarted.apply(id, workload(1)).get(0);
        assertThat(next.version()).isEqualTo(18);
        assertThat(liveBytes(id)).isEqualTo(restarted.read(id, MachineCodec::encodeRaw));
    }

    @Test
    void aRejectedOperationChangesNothingAndIsNotJournaled() {
        String id = newSession();
        sessions.apply(id, workload(3));
        byte[] before = liveBytes(id);
        assertThatThrownBy(() -> sessions.apply(id, List.of(new AllocPages(0, "GFP_KERNEL", 0, 0, null),
                new FreePages(-5, 0)))).isInstanceOf(KernelInputException.class);
        assertThat(sessionRows.findVersion(id)).contains(3L);
        assertThat(liveBytes(id)).isEqualTo(before);
        assertThat(journal.findRange(id, 0, Long.MAX_VALUE)).hasSize(3);
    }

    @Test
    void twoServerProcessesNeverAppendTheSameVersion() throws Exception {
        String id = newSession();
        SessionService other = secondProcess();
        int perWriter = 15;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (SessionService writer : List.of(sessions, other, sessions, other)) {
                futures.add(pool.submit(() -> {
                    for (Operation op : workload(perWriter)) {
                        writer.apply(id, List.of(op));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        long total = 4L * perWriter;
        assertThat(sessionRows.findVersion(id)).contains(total);
        assertThat(journal.findRange(id, 0, Long.MAX_VALUE)).extracting(JournalEntry::getVersion)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
        byte[] replayed = replayFromScratch(id);
        assertThat(liveBytes(id)).isEqualTo(replayed);
        assertThat(other.read(id, MachineCodec::encodeRaw)).isEqualTo(replayed);
    }
}
