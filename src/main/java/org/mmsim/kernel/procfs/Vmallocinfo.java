package org.mmsim.kernel.procfs;

import java.util.TreeMap;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.slab.Vmalloc;

/**
 * {@code /proc/vmallocinfo}: {@code vmalloc_info_show}, mm/vmalloc.c — per area in address order
 * {@code "0x%pK-0x%pK %7ld"} (start, end including the guard page, {@code vm->size}), the caller
 * ({@code %pS}), {@code " pages=%d"}, {@code " vmalloc"} for {@code VM_ALLOC}, and
 * {@code show_numa_info}'s {@code " N%u=%u"} per node holding pages. Addresses print in full, as
 * for root with {@code kptr_restrict} 0.
 */
public final class Vmallocinfo {
    private Vmallocinfo() {
    }

    public static String render(Machine machine) {
        StringBuilder sb = new StringBuilder();
        boolean is64 = machine.config().arch().is64Bit();
        for (Vmalloc.Area a : machine.vmalloc().areas()) {
            sb.append(String.format(is64 ? "0x%016x-0x%016x %7d" : "0x%08x-0x%08x %7d", a.address(), a.end(), a.size()));
            sb.append(' ').append(Vmalloc.CALLER);
            sb.append(" pages=").append(a.pfns().length);
            sb.append(" vmalloc");
            TreeMap<Integer, Integer> perNode = new TreeMap<>();
            for (int nid : a.nids()) {
                perNode.merge(nid, 1, Integer::sum);
            }
            perNode.forEach((nid, n) -> sb.append(" N").append(nid).append('=').append(n));
            sb.append('\n');
        }
        return sb.toString();
    }
}
