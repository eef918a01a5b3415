package org.mmsim.kernel.procfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.Exit;
import org.mmsim.kernel.journal.Fork;
import org.mmsim.kernel.journal.Touch;
import org.mmsim.kernel.journal.Wait;
import org.mmsim.kernel.task.Task;
import org.mmsim.kernel.task.VmSim;

/**
 * Issue 5's story through {@code /proc/PID/smaps}: the parent writes 256 pages (1 MiB), forks,
 * the child writes 64, each side then writes more, the child exits. Every expected figure is
 * derived from {@code smaps_account()} / {@code smaps_page_accumulate()} (LINUX.md §10.6) for
 * the mapping's VMA:
 *
 * <ul>
 *   <li>every present non-zero page adds 4 kB to Rss and Anonymous;</li>
 *   <li>refcount 1 → private, Pss 4 kB; else mapcount ≥ 2 → Shared_*, Pss 4/mapcount kB;</li>
 *   <li>Dirty from the PTE (copy_present_pte keeps the dirty bit of a private PTE it
 *       write-protects; wp_page_copy maps the copy dirty), so every page here is *_Dirty and
 *       Pss_Dirty = Pss;</li>
 *   <li>Referenced from the PTE's young bit: the child's copied PTEs are old
 *       ({@code pte_mkold} in {@code __copy_present_ptes}), the pages it writes are young again.</li>
 * </ul>
 */
class ForkSmapsTest {
    private static final long PAGE = VmSim.PAGE;
    private static final long P = PAGE >> 10;

    private VmSim sim;
    private long a;

    /** The kB fields of the smaps block of the VMA starting at {@code start}. */
    private Map<String, Long> smaps(int pid, long start) {
        String text = PidSmaps.render(sim.machine, pid).orElseThrow();
        String head = String.format(Locale.ROOT, "%08x-", start);
        int at = ("\n" + text).indexOf("\n" + head);
        assertThat(at).as("a VMA starting at %x in %s", start, text).isNotNegative();
        String block = text.substring(at, text.indexOf("VmFlags:", at));
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            if (line.endsWith(" kB")) {
                int colon = line.indexOf(':');
                out.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).trim()));
            }
        }
        return out;
    }

    /**
     * Expected Rss/Pss/Shared/Private for {@code priv} pages of refcount 1 and {@code shared}
     * pages of mapcount 2, all dirty, {@code young} of them referenced.
     */
    private void expect(int pid, long priv, long shared, long young) {
        Map<String, Long> s = smaps(pid, a);
        long pss = priv * P + shared * P / 2;
        assertThat(s.get("Size")).isEqualTo(256 * P);
        assertThat(s.get("Rss")).as("Rss of %d", pid).isEqualTo((priv + shared) * P);
        assertThat(s.get("Pss")).as("Pss of %d", pid).isEqualTo(pss);
        assertThat(s.get("Pss_Dirty")).as("Pss_Dirty of %d", pid).isEqualTo(pss);
        assertThat(s.get("Shared_Clean")).isZero();
        assertThat(s.get("Private_Clean")).isZero();
        assertThat(s.get("Shared_Dirty")).as("Shared_Dirty of %d", pid).isEqualTo(shared * P);
        assertThat(s.get("Private_Dirty")).as("Private_Dirty of %d", pid).isEqualTo(priv * P);
        assertThat(s.get("Anonymous")).isEqualTo((priv + shared) * P);
        assertThat(s.get("Referenced")).as("Referenced of %d", pid).isEqualTo(young * P);
        assertThat(s.get("Locked")).isZero();
    }

    private long free() {
        return sim.machine.phys().nrFreePages();
    }

    @Test
    void smapsFollowsEveryStepOfForkCopyOnWriteAndExit() {
        sim = VmSim.x86_64();
        int parent = sim.create();
        a = sim.mmapAnon(parent, 256 * PAGE, "rw-");
        sim.touch(parent, a, 256 * PAGE, "write");
        // 256 pages, refcount 1: all private and dirty, Pss the full 1024 kB
        expect(parent, 256, 0, 256);
        long freeBeforeFork = free();

        int child = ((Fork.Result) sim.apply(new Fork(parent))).pid();
        // every page refcount 2, mapcount 2: Rss 1024, Pss 512, Shared_Dirty 1024, Private_Dirty 0;
        // the child's PTEs are old
        expect(parent, 0, 256, 256);
        expect(child, 0, 256, 0);

        long f = free();
        Touch.Result cw = sim.touch(child, a, 64 * PAGE, "write");
        assertThat(cw.faults().minor()).isEqualTo(64);
        assertThat(cw.faults().cowCopy()).isEqualTo(64);
        assertThat(cw.faults().cowReuse()).isZero();
        assertThat(free()).isEqualTo(f - 64);
        // child: 64 fresh copies (private, young) + 192 still shared → Pss 256 + 384 = 640;
        // parent: its 64 originals lost the child's mapping and reference → private
        expect(child, 64, 192, 64);
        expect(parent, 64, 192, 256);

        // the parent writes pages 0..127: 0..63 are exclusive (refcount 1) → reused; 64..127 copied
        f = free();
        Touch.Result pw = sim.touch(parent, a, 128 * PAGE, "write");
        assertThat(pw.faults().minor()).isEqualTo(128);
        assertThat(pw.faults().cowReuse()).isEqualTo(64);
        assertThat(pw.faults().cowCopy()).isEqualTo(64);
        assertThat(free()).isEqualTo(f - 64);
        expect(parent, 128, 128, 256);
        expect(child, 128, 128, 64);

        // the child's pages 64..127 became exclusive to it: reused, no frame
        f = free();
        Touch.Result cw2 = sim.touch(child, a + 64 * PAGE, 64 * PAGE, "write");
        assertThat(cw2.faults().cowReuse()).isEqualTo(64);
        assertThat(cw2.faults().cowCopy()).isZero();
        assertThat(free()).isEqualTo(f);
        expect(child, 128, 128, 128);

        sim.apply(new Exit(child, 3));
        assertThat(sim.task(child).state()).isEqualTo(Task.State.ZOMBIE);
        // a zombie keeps /proc/PID but has no mm: smaps is empty
        assertThat(PidSmaps.render(sim.machine, child)).contains("");
        // every page of the parent is refcount 1 again
        expect(parent, 256, 0, 256);

        // pages 128..255 are still write-protected: 128 faults, all reuse, no frame
        f = free();
        Touch.Result rest = sim.touch(parent, a, 256 * PAGE, "write");
        assertThat(rest.faults().minor()).isEqualTo(128);
        assertThat(rest.faults().cowReuse()).isEqualTo(128);
        assertThat(rest.faults().cowCopy()).isZero();
        assertThat(free()).isEqualTo(f);
        expect(parent, 256, 0, 256);

        Wait.Result w = sim.apply(new Wait(parent, -1));
        assertThat(w.pid()).isEqualTo(child);
        assertThat(w.code()).isEqualTo(3);
        assertThat(PidSmaps.render(sim.machine, child)).isEmpty();
        // the parent still holds 256 pages (64 of them copies, whose originals went with the
        // child); the child's pages and page tables are free: back to the frames at fork time
        assertThat(free()).isEqualTo(freeBeforeFork);
    }

    @Test
    void smapsRollupOfTheChildSumsItsVmasAndSplitsPssAcrossTheTwoMappings() {
        sim = VmSim.x86_64();
        int parent = sim.create();
        a = sim.mmapAnon(parent, 256 * PAGE, "rw-");
        sim.touch(parent, a, 256 * PAGE, "write");
        int child = ((Fork.Result) sim.apply(new Fork(parent))).pid();
        String rollup = PidSmapsRollup.render(sim.machine, child).orElseThrow();
        // the whole child: the 256 mapping pages and the stack's argument page, all shared with
        // the parent; text/data were never read, so the file VMAs had no PTEs to copy
        long rss = sim.mm(child).rss() * P;
        assertThat(rollup).contains(line("Rss:", rss)).contains(line("Pss:", rss / 2))
                .contains(line("Pss_Anon:", rss / 2)).contains(line("Shared_Dirty:", rss))
                .contains(line("Private_Dirty:", 0));
    }

    private static String line(String label, long kb) {
        return String.format(Locale.ROOT, "%-16s%8d kB\n", label, kb);
    }
}
