package org.mmsim.kernel.machine;

import org.mmsim.kernel.KernelInputException;

/**
 * The sysctls and boot parameters a machine is created with, by their kernel names.
 *
 * @param minFreeKbytes        {@code vm.min_free_kbytes}; 0 means "as the kernel computes it at boot"
 *                             ({@code calculate_min_free_kbytes}, raised by khugepaged when THP is on)
 * @param watermarkScaleFactor {@code vm.watermark_scale_factor}, in 1/10000 of managed pages (default 10)
 * @param movablecoreBytes     the {@code movablecore=} boot parameter: memory carved into ZONE_MOVABLE
 * @param transparentHugepage  {@code /sys/kernel/mm/transparent_hugepage/enabled}: always, madvise, never
 * @param overcommitMemory     {@code vm.overcommit_memory}: 0 heuristic, 1 always, 2 never
 * @param overcommitRatio      {@code vm.overcommit_ratio}, percent of RAM in CommitLimit (default 50)
 * @param swappiness           {@code vm.swappiness}, 0..200 (default 60): the anon share of reclaim's scan
 *                             ({@code calculate_pressure_balance})
 */
public record Tunables(
        long minFreeKbytes,
        int watermarkScaleFactor,
        long movablecoreBytes,
        String transparentHugepage,
        int overcommitMemory,
        int overcommitRatio,
        int swappiness) {

    /** {@code MAX_SWAPPINESS}. */
    public static final int MAX_SWAPPINESS = 200;
    /** The values of a freshly booted Debian 6.x kernel (LINUX.md 10.8). */
    public static final Tunables DEFAULTS = new Tunables(0, 10, 0, "madvise", 0, 50, 60);

    /** The tunables with the default {@code vm.swappiness} of 60. */
    public Tunables(long minFreeKbytes, int watermarkScaleFactor, long movablecoreBytes, String transparentHugepage,
                    int overcommitMemory, int overcommitRatio) {
        this(minFreeKbytes, watermarkScaleFactor, movablecoreBytes, transparentHugepage, overcommitMemory,
                overcommitRatio, 60);
    }

    public Tunables {
        transparentHugepage = transparentHugepage == null ? "madvise" : transparentHugepage;
    }

    public boolean thpEnabled() {
        return !"never".equals(transparentHugepage);
    }

    void validate(MachineConfig config) {
        if (minFreeKbytes != 0 && (minFreeKbytes < 128 || minFreeKbytes > 262144 * 4)) {
            throw new KernelInputException("tunables.minFreeKbytes",
                    "min_free_kbytes must be 0 (computed) or between 128 and 1048576");
        }
        if (watermarkScaleFactor < 1 || watermarkScaleFactor > 3000) {
            throw new KernelInputException("tunables.watermarkScaleFactor",
                    "watermark_scale_factor must be between 1 and 3000 (mm/page_alloc.c)");
        }
        if (movablecoreBytes < 0 || movablecoreBytes % Arch.PAGE_SIZE != 0
                || movablecoreBytes >= config.totalMemoryBytes()) {
            throw new KernelInputException("tunables.movablecore",
                    "movablecore must be a multiple of 4 KiB and less than the machine's memory");
        }
        if (!transparentHugepage.equals("always") && !transparentHugepage.equals("madvise")
                && !transparentHugepage.equals("never")) {
            throw new KernelInputException("tunables.transparentHugepage",
                    "transparent_hugepage must be always, madvise or never");
        }
        if (overcommitMemory < 0 || overcommitMemory > 2) {
            throw new KernelInputException("tunables.overcommitMemory", "overcommit_memory must be 0, 1 or 2");
        }
        if (overcommitRatio < 0 || overcommitRatio > 10000) {
            throw new KernelInputException("tunables.overcommitRatio", "overcommit_ratio must be between 0 and 10000");
        }
        if (swappiness < 0 || swappiness > MAX_SWAPPINESS) {
            throw new KernelInputException("tunables.swappiness", "swappiness must be between 0 and " + MAX_SWAPPINESS);
        }
    }
}
