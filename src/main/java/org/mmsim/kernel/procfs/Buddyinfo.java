package org.mmsim.kernel.procfs;

import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/** {@code /proc/buddyinfo}: {@code frag_show_print}, mm/vmstat.c. Populated zones only. */
public final class Buddyinfo {
    private Buddyinfo() {
    }

    public static String render(PhysicalMemory pm) {
        StringBuilder sb = new StringBuilder();
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            for (ZoneView z : pm.zones(nid)) {
                sb.append(String.format("Node %d, zone %8s ", nid, z.name()));
                for (long n : z.nrFree()) {
                    sb.append(String.format("%6d ", n));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
