package org.mmsim.kernel.procfs;

import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.slab.Slub;

/**
 * {@code /proc/slabinfo}: {@code slab_show} → {@code cache_show}, mm/slab_common.c (LINUX.md 8.2):
 * the version line, the header, then a row per cache in {@code slab_caches} order. Under SLUB
 * the tunables are 0 and active slabs equal all slabs.
 */
public final class Slabinfo {
    private Slabinfo() {
    }

    public static String render(Machine machine) {
        StringBuilder sb = new StringBuilder();
        sb.append("slabinfo - version: 2.1\n");
        sb.append("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
                + " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
        for (Slub.CacheInfo c : machine.slub().cacheInfo()) {
            sb.append(String.format("%-17s %6d %6d %6d %4d %4d", c.name(), c.activeObjs(), c.numObjs(), c.objsize(),
                    c.objperslab(), c.pagesperslab()));
            sb.append(String.format(" : tunables %4d %4d %4d", 0, 0, 0));
            sb.append(String.format(" : slabdata %6d %6d %6d", c.activeSlabs(), c.numSlabs(), 0));
            sb.append('\n');
        }
        return sb.toString();
    }
}
