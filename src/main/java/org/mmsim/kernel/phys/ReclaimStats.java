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

    /** The machine-wide counters' {@code /proc/vmstat} names, in {@code vmstat_text[]} order. */
    public static final java.util.List<String> EVENTS = java.util.List.of("pgactivate", "pgdeactivate", "pgrefill",
            "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd", "pgscan_direct", "pgscan_anon", "pgscan_file",
            "pgsteal_anon", "pgsteal_file", "pageoutrun");

    /** The counter {@code /proc/vmstat} calls {@code name} (one of {@link #EVENTS}), or null for another name. */
    public Long event(String name) {
        return switch (name) {
            case "pgscan_kswapd" -> pgscanKswapd;
            case "pgscan_direct" -> pgscanDirect;
            case "pgsteal_kswapd" -> pgstealKswapd;
            case "pgsteal_direct" -> pgstealDirect;
            case "pgscan_anon" -> pgscanAnon;
            case "pgscan_file" -> pgscanFile;
            case "pgsteal_anon" -> pgstealAnon;
            case "pgsteal_file" -> pgstealFile;
            case "pgrefill" -> pgrefill;
            case "pgactivate" -> pgactivate;
            case "pgdeactivate" -> pgdeactivate;
            case "pageoutrun" -> pageoutrun;
            default -> null;
        };
    }

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
