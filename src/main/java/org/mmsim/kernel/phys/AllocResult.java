package org.mmsim.kernel.phys;

/**
 * What an allocation gave: the block's first pfn, node, zone and order, or {@code pfn == -1} and
 * a {@code reason} when the machine could not satisfy it (the kernel's NULL page; never an
 * exception).
 */
public record AllocResult(long pfn, int nid, String zone, int order, String reason) {

    public static AllocResult failed(int order, String reason) {
        return new AllocResult(-1, -1, null, order, reason);
    }

    public boolean ok() {
        return pfn >= 0;
    }
}
