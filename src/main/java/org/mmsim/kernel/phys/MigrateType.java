package org.mmsim.kernel.phys;

/**
 * A page block's mobility: {@code enum migratetype}, include/linux/mmzone.h; names from
 * {@code migratetype_names[]} (mm/vmstat.c). No CMA (CONFIG_CMA off, as in the live sample).
 */
public final class MigrateType {
    public static final int UNMOVABLE = 0;
    public static final int MOVABLE = 1;
    public static final int RECLAIMABLE = 2;
    /** {@code MIGRATE_PCPTYPES}: the number of types the per-cpu lists and fallbacks know. */
    public static final int PCPTYPES = 3;
    public static final int HIGHATOMIC = 3;
    public static final int ISOLATE = 4;
    public static final int MIGRATE_TYPES = 5;

    private static final String[] NAMES = {"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"};

    /**
     * {@code fallbacks[]}, mm/page_alloc.c: where each type steals when its own lists are empty.
     * HIGHATOMIC and ISOLATE never fall back.
     */
    static final int[][] FALLBACKS = {
        {RECLAIMABLE, MOVABLE},
        {RECLAIMABLE, UNMOVABLE},
        {UNMOVABLE, MOVABLE},
    };

    private MigrateType() {
    }

    public static String name(int migratetype) {
        return NAMES[migratetype];
    }
}
