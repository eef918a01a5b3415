package org.mmsim.kernel.procfs;

import java.util.ArrayList;
import java.util.List;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.phys.ZoneView;

/**
 * {@code page_to_nid()} and {@code page_zonenum()} for many frames at once: the spans of every
 * zone, sorted by start pfn, searched by bisection. A frame in several spans (ZONE_MOVABLE carved
 * out of a node's last zone) belongs to the later zone, as {@link PhysicalMemory#frame} decides.
 */
final class PfnLocator {
    private final long[] starts;
    private final long[] ends;
    private final int[] nids;
    private final int[] zoneIdxs;
    private final int nrZonesPerNode;

    PfnLocator(PhysicalMemory pm) {
        List<ZoneView> spans = new ArrayList<>();
        int perNode = 0;
        for (int nid = 0; nid < pm.nrNodes(); nid++) {
            List<ZoneView> zones = pm.allZones(nid);
            perNode = Math.max(perNode, zones.size());
            for (ZoneView z : zones) {
                if (z.spannedPages() > 0) {
                    spans.add(z);
                }
            }
        }
        spans.sort((a, b) -> a.startPfn() != b.startPfn() ? Long.compare(a.startPfn(), b.startPfn())
                : Integer.compare(a.zoneIdx(), b.zoneIdx()));
        int n = spans.size();
        starts = new long[n];
        ends = new long[n];
        nids = new int[n];
        zoneIdxs = new int[n];
        for (int i = 0; i < n; i++) {
            ZoneView z = spans.get(i);
            starts[i] = z.startPfn();
            ends[i] = z.startPfn() + z.spannedPages();
            nids[i] = z.nid();
            zoneIdxs[i] = z.zoneIdx();
        }
        nrZonesPerNode = perNode;
    }

    /** How many zone slots each node has ({@code MAX_NR_ZONES} for this architecture). */
    int nrZonesPerNode() {
        return nrZonesPerNode;
    }

    /** The node of {@code pfn}, or 0 if no zone spans it. */
    int nid(long pfn) {
        int i = span(pfn);
        return i < 0 ? 0 : nids[i];
    }

    /** The zone index ({@code zone_idx}) of {@code pfn} on its node, or 0 if no zone spans it. */
    int zoneIdx(long pfn) {
        int i = span(pfn);
        return i < 0 ? 0 : zoneIdxs[i];
    }

    /** The last span (in start order) containing {@code pfn}, or -1. */
    private int span(long pfn) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= pfn) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int i = found; i >= 0; i--) {
            if (pfn < ends[i]) {
                return i;
            }
        }
        return -1;
    }
}
