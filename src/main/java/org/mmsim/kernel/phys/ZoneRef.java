package org.mmsim.kernel.phys;

/** A zonelist entry: {@code struct zoneref}, include/linux/mmzone.h. */
public record ZoneRef(int nid, String zone) {
    @Override
    public String toString() {
        return "N" + nid + "-" + zone;
    }
}
