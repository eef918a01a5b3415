package org.mmsim.kernel.phys;

/**
 * A zone type: {@code enum zone_type}, include/linux/mmzone.h; names from {@code zone_names[]}
 * in mm/page_alloc.c.
 *
 * <p>The index a zone has in a node ({@code zone_idx}) depends on the architecture, because
 * x86_64 builds DMA32 and no HIGHMEM while i386 builds HIGHMEM and no DMA32; see
 * {@link #zonesOf(org.mmsim.kernel.machine.Arch)}.
 */
public enum ZoneType {
    DMA("DMA", 256),
    DMA32("DMA32", 256),
    NORMAL("Normal", 32),
    HIGHMEM("HighMem", 0),
    MOVABLE("Movable", 0),
    DEVICE("Device", 0);

    private final String procName;
    private final int lowmemReserveRatio;

    ZoneType(String procName, int lowmemReserveRatio) {
        this.procName = procName;
        this.lowmemReserveRatio = lowmemReserveRatio;
    }

    /** The name {@code /proc} prints: {@code "DMA32"}, {@code "Normal"}. */
    public String procName() {
        return procName;
    }

    /** The default {@code sysctl_lowmem_reserve_ratio} entry: 256 256 32 0 0. */
    public int lowmemReserveRatio() {
        return lowmemReserveRatio;
    }

    /** True for HIGHMEM and MOVABLE, the zones {@code __setup_per_zone_wmarks} does not count as lowmem. */
    public boolean isHighOrMovable() {
        return this == HIGHMEM || this == MOVABLE;
    }

    /**
     * The zones the kernel builds for {@code arch}, in {@code zone_idx} order (MAX_NR_ZONES of
     * them): x86_64 DMA, DMA32, Normal, Movable, Device; i386 DMA, Normal, HighMem, Movable
     * (ZONE_DEVICE needs 64-bit).
     */
    public static ZoneType[] zonesOf(org.mmsim.kernel.machine.Arch arch) {
        return arch.is64Bit()
                ? new ZoneType[] {DMA, DMA32, NORMAL, MOVABLE, DEVICE}
                : new ZoneType[] {DMA, NORMAL, HIGHMEM, MOVABLE};
    }
}
