package org.mmsim.kernel.procfs;

import java.util.Optional;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.task.Task;

/**
 * {@code /proc/PID/numa_maps}: {@code show_numa_map()}, fs/proc/task_mmu.c — per VMA
 * {@code "%08lx %s"} (start, {@code mpol_to_str} of the VMA's policy or else the task's), then
 * {@code file=PATH}, {@code heap} or {@code stack}, and, if any page is mapped: {@code anon=},
 * {@code dirty=} (when non-zero), {@code mapped=} (when it differs from both), {@code mapmax=}
 * (when above 1), {@code active=} (when below the page count), {@code N<nid>=} per node,
 * {@code kernelpagesize_kB=4}.
 *
 * <p>Pages are counted as {@code gather_pte_stats} → {@code can_gather_numa_stats} →
 * {@code gather_stats} does: present, not the zero page ({@code vm_normal_page}); dirty from the
 * PTE; {@code mapmax} the largest mapcount; the node is the frame's. Nothing is on an active LRU
 * list in the simulator ({@link PageCounters}), so {@code active=0} is printed whenever a page is.
 *
 * <p>Policy text ({@code mpol_to_str}, mm/mempolicy.c): {@code default} for no task policy (the
 * system default and the per-node {@code preferred_node_policy} both print as default), else the
 * mode name ({@code prefer}, {@code bind}, {@code interleave}, {@code weighted interleave},
 * {@code local}, {@code prefer (many)}) and {@code :} with the node list ({@code %*pbl}, e.g.
 * {@code interleave:0-1}). The simulator has no mode flags ({@code =static}, {@code =relative}).
 */
public final class PidNumaMaps {
    /** {@code struct numa_maps} fields kept per VMA: indexes of the counter array. */
    private static final int PAGES = 0;
    private static final int ANON = 1;
    private static final int DIRTY = 2;
    private static final int MAPCOUNT_MAX = 3;

    private PidNumaMaps() {
    }

    /** The numa_maps file of {@code pid}, or empty when there is no {@code /proc/PID} ({@link PidMaps#render}). */
    public static Optional<String> render(Machine machine, int pid) {
        Task t = PidMaps.procTask(machine, pid);
        if (t == null) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        MmStruct mm = t.mm();
        if (mm != null) {
            PhysicalMemory pm = machine.phys();
            PfnLocator where = new PfnLocator(pm);
            for (Vma vma : mm.vmas()) {
                showNumaMap(sb, pm, where, mm, vma, t.numa().mempolicy());
            }
        }
        return Optional.of(sb.toString());
    }

    private static void showNumaMap(StringBuilder sb, PhysicalMemory pm, PfnLocator where, MmStruct mm, Vma vma,
            MemPolicy taskPolicy) {
        MemPolicy vmaPolicy = mm.vmaPolicy(vma);
        PidMaps.hex(sb, vma.vmStart(), 8);
        sb.append(' ').append(mpolToStr(vmaPolicy != null ? vmaPolicy : taskPolicy));
        if (vma.vmFile() != null) {
            sb.append(" file=").append(vma.vmFile().path());
        } else if (PidMaps.isInitialHeap(mm, vma)) {
            sb.append(" heap");
        } else if (PidMaps.isInitialStack(mm, vma)) {
            sb.append(" stack");
        }
        long[] md = new long[4];
        long[] node = new long[pm.nrNodes()];
        mm.pgd().forEachPte(vma.vmStart(), vma.vmEnd(), (va, pte) -> {
            if (!Pte.present(pte) || Pte.special(pte)) {
                return;
            }
            long pfn = Pte.pfn(pte);
            md[PAGES]++;
            if (Pte.dirty(pte)) {
                md[DIRTY]++;
            }
            if (pm.pageOwner(pfn) == PageStore.OWNER_ANON) {
                md[ANON]++;
            }
            md[MAPCOUNT_MAX] = Math.max(md[MAPCOUNT_MAX], pm.pageMapcount(pfn));
            node[where.nid(pfn)]++;
        });
        if (md[PAGES] != 0) {
            if (md[ANON] != 0) {
                sb.append(" anon=").append(md[ANON]);
            }
            if (md[DIRTY] != 0) {
                sb.append(" dirty=").append(md[DIRTY]);
            }
            if (md[PAGES] != md[ANON] && md[PAGES] != md[DIRTY]) {
                sb.append(" mapped=").append(md[PAGES]);
            }
            if (md[MAPCOUNT_MAX] > 1) {
                sb.append(" mapmax=").append(md[MAPCOUNT_MAX]);
            }
            sb.append(" active=0");
            for (int nid = 0; nid < node.length; nid++) {
                if (node[nid] != 0) {
                    sb.append(" N").append(nid).append('=').append(node[nid]);
                }
            }
            sb.append(" kernelpagesize_kB=4");
        }
        sb.append('\n');
    }

    /** {@code mpol_to_str()}: null (no task policy: the system default) prints {@code default}. */
    static String mpolToStr(MemPolicy policy) {
        if (policy == null) {
            return "default";
        }
        String mode = switch (policy.mode()) {
            case DEFAULT -> "default";
            case PREFERRED -> "prefer";
            case BIND -> "bind";
            case INTERLEAVE -> "interleave";
            case WEIGHTED_INTERLEAVE -> "weighted interleave";
            case LOCAL -> "local";
            case PREFERRED_MANY -> "prefer (many)";
        };
        return policy.nodes() == 0 ? mode : mode + ":" + nodeList(policy.nodes());
    }

    /** {@code %*pbl}: ranges of set bits, {@code 0-1,3}. */
    static String nodeList(long mask) {
        StringBuilder sb = new StringBuilder();
        int bit = 0;
        while (bit < 64) {
            if ((mask & (1L << bit)) == 0) {
                bit++;
                continue;
            }
            int end = bit;
            while (end + 1 < 64 && (mask & (1L << (end + 1))) != 0) {
                end++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(bit);
            if (end > bit) {
                sb.append('-').append(end);
            }
            bit = end + 1;
        }
        return sb.toString();
    }
}
