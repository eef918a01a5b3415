package org.mmsim.kernel.procfs;

import java.util.List;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * {@code /proc/pagetypeinfo}: {@code pagetypeinfo_show}, mm/vmstat.c — per node the header,
 * free blocks per migratetype and order (counting stops at 100000, printed {@code >100000}),
 * and pageblocks per migratetype. No CONFIG_PAGE_OWNER mixed-block section.
 */
public final class Pagetypeinfo {
    static final String[] TYPES = {"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"};

    private Pagetypeinfo() {
    }

    public static String render(PhysicalMemory pm) {
        StringBuilder sb = new StringBuilder();
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            List<ZoneView> zones = pm.zones(nid);
            sb.append("Page block order: ").append(PhysicalMemory.PAGEBLOCK_ORDER).append('\n');
            sb.append("Pages per block:  ").append(1 << PhysicalMemory.PAGEBLOCK_ORDER).append('\n');
            sb.append('\n');
            sb.append(String.format("%-43s ", "Free pages count per migrate type at order"));
            for (int o = 0; o < PhysicalMemory.NR_PAGE_ORDERS; o++) {
                sb.append(String.format("%6d ", o));
            }
            sb.append('\n');
            for (ZoneView z : zones) {
                for (int mt = 0; mt < TYPES.length; mt++) {
                    sb.append(String.format("Node %4d, zone %8s, type %12s ", nid, z.name(), TYPES[mt]));
                    for (long n : z.nrFreeByType().get(mt)) {
                        sb.append(n >= 100000 ? String.format(">%6d ", 100000) : String.format("%6d ", n));
                    }
                    sb.append('\n');
                }
            }
            sb.append(String.format("\n%-23s", "Number of blocks type "));
            for (String t : TYPES) {
                sb.append(String.format("%12s ", t));
            }
            sb.append('\n');
            for (ZoneView z : zones) {
                sb.append(String.format("Node %d, zone %8s ", nid, z.name()));
                for (long c : z.pageblocksByType()) {
                    sb.append(String.format("%12d ", c));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
