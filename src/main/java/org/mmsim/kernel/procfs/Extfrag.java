package org.mmsim.kernel.procfs;

import org.mmsim.kernel.phys.Fragmentation;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * debugfs {@code /sys/kernel/debug/extfrag/unusable_index} ({@code unusable_show_print}) and
 * {@code extfrag_index} ({@code extfrag_show_print}), mm/vmstat.c: one line per populated
 * zone, an index per order 0..10, each followed by a space.
 */
public final class Extfrag {
    private Extfrag() {
    }

    /** {@code unusable_index}: {@code "%d.%03d "} per order. */
    public static String unusableIndex(PhysicalMemory pm) {
        return render(pm, false);
    }

    /** {@code extfrag_index}: {@code "%2d.%03d "} per order; -1.000 where the allocation would succeed. */
    public static String extfragIndex(PhysicalMemory pm) {
        return render(pm, true);
    }

    private static String render(PhysicalMemory pm, boolean extfrag) {
        StringBuilder sb = new StringBuilder();
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            for (ZoneView z : pm.zones(nid)) {
                sb.append(String.format("Node %d, zone %8s ", nid, z.name()));
                int[] idx = extfrag ? Fragmentation.fragmentationIndexes(z.nrFree())
                        : Fragmentation.unusableIndexes(z.nrFree());
                for (int i : idx) {
                    sb.append(Fragmentation.format(i, extfrag ? 2 : 0)).append(' ');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
