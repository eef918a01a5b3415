package org.mmsim.kernel.procfs;

import java.util.Locale;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * {@code /proc/vmstat}: {@code vmstat_show}, mm/vmstat.c — {@code name value} lines in
 * {@code vmstat_text[]} order: zone stats, numa events, node stats, then the events up to the
 * fault counters. The later event lines (reclaim, compaction, THP) come with those subsystems.
 */
public final class Vmstat {
    private Vmstat() {
    }

    public static String render(PhysicalMemory pm) {
        return render(pm, KernelCounters.NONE);
    }

    public static String render(PhysicalMemory pm, KernelCounters k) {
        StringBuilder sb = new StringBuilder();
        for (String name : Zoneinfo.ZONE_STATS) {
            line(sb, name, name.equals("nr_free_pages") ? pm.nrFreePages() : 0);
        }
        long[] numa = new long[6];
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            for (ZoneView z : pm.allZones(nid)) {
                numa[0] += z.numaHit();
                numa[1] += z.numaMiss();
                numa[2] += z.numaForeign();
                numa[3] += z.numaInterleave();
                numa[4] += z.numaLocal();
                numa[5] += z.numaOther();
            }
        }
        for (int i = 0; i < Zoneinfo.NUMA_STATS.length; i++) {
            line(sb, Zoneinfo.NUMA_STATS[i], numa[i]);
        }
        for (String name : Zoneinfo.NODE_STATS) {
            line(sb, name, 0);
        }
        line(sb, "nr_dirty_threshold", 0);
        line(sb, "nr_dirty_background_threshold", 0);
        line(sb, "pgpgin", 0);
        line(sb, "pgpgout", 0);
        line(sb, "pswpin", 0);
        line(sb, "pswpout", 0);
        for (String zone : pm.zoneNames()) {
            long sum = 0;
            for (int nid = 0; nid < pm.nrNodes(); nid++) {
                for (ZoneView z : pm.allZones(nid)) {
                    if (z.name().equals(zone)) {
                        sum += z.pgalloc();
                    }
                }
            }
            line(sb, "pgalloc_" + eventZoneName(zone), sum);
        }
        for (String zone : pm.zoneNames()) {
            line(sb, "allocstall_" + eventZoneName(zone), 0);
        }
        for (String zone : pm.zoneNames()) {
            line(sb, "pgskip_" + eventZoneName(zone), 0);
        }
        line(sb, "pgfree", pm.vmEvents().pgfree());
        for (String name : new String[] {"pgactivate", "pgdeactivate", "pglazyfree", "pgfault", "pgmajfault", "pglazyfreed", "pgrefill"}) {
            line(sb, name, 0);
        }
        return sb.toString();
    }

    /** {@code TEXT_FOR_HIGHMEM}: the event suffix of HighMem is {@code high}; the others are lower-cased zone names. */
    private static String eventZoneName(String zone) {
        return zone.equals("HighMem") ? "high" : zone.toLowerCase(Locale.ROOT);
    }

    private static void line(StringBuilder sb, String name, long value) {
        sb.append(name).append(' ').append(value).append('\n');
    }
}
