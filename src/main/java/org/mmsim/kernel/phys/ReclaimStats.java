package org.mmsim.kernel.phys;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The page-reclaim events of {@code enum vm_event_item} (include/linux/vm_event_item.h), counted
 * by org.mmsim.kernel.reclaim where mm/vmscan.c counts them: pages scanned and stolen by kswapd
 * and by direct reclaim, by type, the active-list refills, activations and deactivations,
 * kswapd's runs, and the per-zone {@code allocstall_*} and {@code pgskip_*}.
 */
public final class ReclaimStats {
    public long pgscanKswapd;
    public long pgscanDirect;
    public long pgstealKswapd;
    public long pgstealDirect;
    public long pgscanAnon;
    public long pgscanFile;
    public long pgstealAnon;
    public long pgstealFile;
    public long pgrefill;
    public long pgactivate;
    public long pgdeactivate;
    public long pageoutrun;
    /** {@code ALLOCSTALL} by the reclaim's zone index ({@code sc->reclaim_idx}). */
    public final long[] allocstall;
    /** {@code PGSCAN_SKIP} by zone index: pages isolate_lru_folios passed over (zone above reclaim_idx). */
    public final long[] pgskip;

    public ReclaimStats(int nrZones) {
        allocstall = new long[nrZones];
        pgskip = new long[nrZones];
    }

    private long[] scalars() {
        return new long[] {pgscanKswapd, pgscanDirect, pgstealKswapd, pgstealDirect, pgscanAnon, pgscanFile,
            pgstealAnon, pgstealFile, pgrefill, pgactivate, pgdeactivate, pageoutrun};
    }

    public void writeTo(DataOutputStream out) throws IOException {
        for (long v : scalars()) {
            out.writeLong(v);
        }
        for (int i = 0; i < allocstall.length; i++) {
            out.writeLong(allocstall[i]);
            out.writeLong(pgskip[i]);
        }
    }

    public void readFrom(DataInputStream in) throws IOException {
        pgscanKswapd = in.readLong();
        pgscanDirect = in.readLong();
        pgstealKswapd = in.readLong();
        pgstealDirect = in.readLong();
        pgscanAnon = in.readLong();
        pgscanFile = in.readLong();
        pgstealAnon = in.readLong();
        pgstealFile = in.readLong();
        pgrefill = in.readLong();
        pgactivate = in.readLong();
        pgdeactivate = in.readLong();
        pageoutrun = in.readLong();
        for (int i = 0; i < allocstall.length; i++) {
            allocstall[i] = in.readLong();
            pgskip[i] = in.readLong();
        }
    }
}
