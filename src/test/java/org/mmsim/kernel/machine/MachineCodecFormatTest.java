package org.mmsim.kernel.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.CreateProcess;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Mmap;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.phys.Lru;

/** Snapshot formats: format 4 round-trips the LRU lists exactly; a format-3 snapshot still decodes. */
class MachineCodecFormatTest {
    private static final long MiB = 1L << 20;

    /** A machine with anonymous, page-cache and shared pages on its lists, some swapped out. */
    private static Machine busy() {
        Machine m = new Machine(Presets.byName("x86_64-64m-swap64m").orElseThrow().machine());
        int pid = ((CreateProcess.Result) m.apply(new CreateProcess("app", 0, 65536, 8192, 16384, null))).pid();
        long text = m.processes().tasks().get(pid).mm().vmas().iterator().next().vmStart();
        m.apply(new Touch(pid, text, 65536, "read"));
        long addr = ((Mmap.Result) m.apply(new Mmap(pid, 0, 40 * MiB, "rw-", List.of("MAP_PRIVATE", "MAP_ANONYMOUS"))))
                .address();
        m.apply(new Touch(pid, addr, 40 * MiB, "write"));
        m.apply(new Fork(pid));
        m.apply(new Touch(pid, addr, 4 * MiB, "read"));
        m.checkInvariants();
        return m;
    }

    // format 4 keeps list order, flags and reverse-map keys: a decoded machine encodes to the same bytes
    @Test
    void format4ShouldRoundTripTheLruListsExactly() {
        Machine m = busy();
        assertThat(m.phys().swap().pswpout()).isPositive();
        assertThat(m.phys().lru().size(0, Lru.LRU_INACTIVE_FILE) + m.phys().lru().size(0, Lru.LRU_ACTIVE_FILE))
                .isPositive();
        Machine copy = MachineCodec.decode(MachineCodec.encode(m));
        copy.checkInvariants();
        assertThat(MachineCodec.encodeRaw(copy)).isEqualTo(MachineCodec.encodeRaw(m));
        assertThat(copy.phys().lru().pfns(0, Lru.LRU_INACTIVE_ANON)).containsExactly(
                m.phys().lru().pfns(0, Lru.LRU_INACTIVE_ANON));
    }

    // a snapshot written before the LRU lists existed: every user page is put on its inactive list
    @Test
    void format3SnapshotShouldDecodeWithListsRebuiltFromItsPages() {
        Machine m = busy();
        byte[] raw3 = MachineCodec.encodeRaw(m, 3);
        Machine old = MachineCodec.decodeRaw(raw3, 3);
        old.checkInvariants();
        Lru lru = old.phys().lru();
        assertThat(lru.totalPages()).isEqualTo(m.phys().lru().totalPages());
        assertThat(lru.size(0, Lru.LRU_ACTIVE_ANON) + lru.size(0, Lru.LRU_ACTIVE_FILE)).isZero();
        assertThat(old.config().reclaim()).isEqualTo(ReclaimPolicy.KERNEL);
        assertThat(old.config().tunables().swappiness()).isEqualTo(60);
        // and it goes on working: more pressure reclaims from the rebuilt lists
        int pid = old.processes().tasks().alive().get(0).pid();
        long addr = ((Mmap.Result) old.apply(new Mmap(pid, 0, 20 * MiB, "rw-",
                List.of("MAP_PRIVATE", "MAP_ANONYMOUS")))).address();
        long out = old.phys().swap().pswpout();
        assertThat(((Touch.Result) old.apply(new Touch(pid, addr, 20 * MiB, "write"))).signal()).isNull();
        assertThat(old.phys().swap().pswpout()).isGreaterThan(out);
        old.checkInvariants();
    }
}
