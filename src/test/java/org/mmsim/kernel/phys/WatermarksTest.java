package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** LINUX.md 1.6/1.7 live figures: pages_min 16896, lowmem 907720. */
class WatermarksTest {

    private static List<Zone> liveZones() {
        return List.of(
                new Zone(0, ZoneType.DMA, 0, 1, 4095, 3999, 3840, null),
                new Zone(0, ZoneType.DMA32, 1, 4096, 1044480, 782336, 772808, null),
                new Zone(0, ZoneType.NORMAL, 2, 1 << 20, 131072, 131072, 131072, null),
                new Zone(0, ZoneType.MOVABLE, 3, 0, 0, 0, 0, null),
                new Zone(0, ZoneType.DEVICE, 4, 0, 0, 0, 0, null));
    }

    /** __setup_per_zone_wmarks with min_free_kbytes 67584 reproduces the live min/low/high/promo. */
    @Test
    void watermarksShouldMatchTheLiveMachine() {
        List<Zone> zones = liveZones();
        Watermarks.setupPerZoneWmarks(zones, 67584, 10);
        assertThat(zones.get(0).watermark).containsExactly(71, 88, 105, 122);
        assertThat(zones.get(1).watermark).containsExactly(14384, 17980, 21576, 25172);
        assertThat(zones.get(2).watermark).containsExactly(2439, 3048, 3657, 4266);
        assertThat(zones.get(3).watermark).containsExactly(32, 32, 32, 32);
    }

    /** setup_per_zone_lowmem_reserve with 256 256 32 0 0: DMA (0, 3018, 3530, 3530, 3530). */
    @Test
    void lowmemReserveShouldMatchTheLiveProtectionArrays() {
        List<Zone> zones = liveZones();
        Watermarks.setupPerZoneLowmemReserve(zones);
        assertThat(zones.get(0).lowmemReserve).containsExactly(0, 3018, 3530, 3530, 3530);
        assertThat(zones.get(1).lowmemReserve).containsExactly(0, 0, 512, 512, 512);
        assertThat(zones.get(2).lowmemReserve).containsExactly(0, 0, 0, 0, 0);
    }

    /** khugepaged's set_recommended_min_free_kbytes: 512·3·2 + 512·3·9 pages = 67584 kB for three zones. */
    @Test
    void thpShouldRaiseMinFreeKbytesTo67584WithThreeZones() {
        List<Zone> zones = liveZones();
        long computed = Watermarks.calculateMinFreeKbytes(zones);
        assertThat(computed).isEqualTo((long) Math.sqrt(907720L * 4 * 16));
        Watermarks.setupPerZoneWmarks(zones, computed, 10);
        assertThat(Watermarks.setRecommendedMinFreeKbytes(zones, computed)).isEqualTo(67584);
    }

    /** calculate_min_free_kbytes comment: 1 GB of lowmem → 4096k (without THP). */
    @Test
    void minFreeKbytesShouldFollowTheSquareRootRule() {
        List<Zone> zones = List.of(new Zone(0, ZoneType.NORMAL, 0, 0, 262144, 262144, 262144, null));
        assertThat(Watermarks.calculateMinFreeKbytes(zones)).isEqualTo(4096);
    }
}
