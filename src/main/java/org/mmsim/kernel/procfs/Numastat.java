package org.mmsim.kernel.procfs;

import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * The {@code numastat} tool with no arguments (numactl's numastat.c, compatible with Andi
 * Kleen's original script): a 16-wide label column and a 16-wide right-aligned column per node,
 * values summed from {@code /sys/devices/system/node/nodeN/numastat} (drivers/base/node.c).
 */
public final class Numastat {
    private static final String[] ROWS = {"numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node"};

    private Numastat() {
    }

    /** Per node: numa_hit, numa_miss, numa_foreign, interleave_hit, local_node, other_node. */
    public static long[] nodeCounters(PhysicalMemory pm, int nid) {
        long[] s = new long[6];
        for (ZoneView z : pm.allZones(nid)) {
            s[0] += z.numaHit();
            s[1] += z.numaMiss();
            s[2] += z.numaForeign();
            s[3] += z.numaInterleave();
            s[4] += z.numaLocal();
            s[5] += z.numaOther();
        }
        return s;
    }

    public static String render(PhysicalMemory pm) {
        StringBuilder sb = new StringBuilder(String.format("%-16s", ""));
        long[][] counters = new long[pm.nrNodes()][];
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            sb.append(String.format("%16s", "node" + nid));
            counters[nid] = nodeCounters(pm, nid);
        }
        sb.append('\n');
        for (int r = 0; r < ROWS.length; r++) {
            sb.append(String.format("%-16s", ROWS[r]));
            for (int nid = 0; nid < pm.nrNodes(); nid++) {
                sb.append(String.format("%16d", counters[nid][r]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code /sys/devices/system/node/nodeN/numastat}: {@code name value} lines. */
    public static String renderSysfs(PhysicalMemory pm, int nid) {
        long[] c = nodeCounters(pm, nid);
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < ROWS.length; r++) {
            sb.append(ROWS[r]).append(' ').append(c[r]).append('\n');
        }
        return sb.toString();
    }
}
