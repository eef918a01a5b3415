package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuddyAllocatorTest {

    private static BuddyAllocator zoneWithOneFreeBlockOf64Pages() {
        BuddyAllocator b = new BuddyAllocator(0, 1024, null);
        b.bootFreeRange(64, 128);
        return b;
    }

    /** The seeds' worked example (伙伴系统): 64 free pages serve 8 as 32 + 16 + 8 left over; freeing merges back to 64. */
    @Test
    void shouldSplitA64PageBlockInto32And16And8WhenAllocating8PagesAndMergeBackOnFree() {
        BuddyAllocator b = zoneWithOneFreeBlockOf64Pages();
        assertThat(b.nrFree(6)).isEqualTo(1);

        long pfn = b.rmqueue(3, MigrateType.MOVABLE);

        assertThat(pfn).isEqualTo(64);
        assertThat(b.nrFree(5)).isEqualTo(1);
        assertThat(b.nrFree(4)).isEqualTo(1);
        assertThat(b.nrFree(3)).isEqualTo(1);
        assertThat(b.nrFree(6)).isZero();
        assertThat(b.listPfns(5, MigrateType.MOVABLE, 0, 10)).containsExactly(96L);
        assertThat(b.listPfns(4, MigrateType.MOVABLE, 0, 10)).containsExactly(80L);
        assertThat(b.listPfns(3, MigrateType.MOVABLE, 0, 10)).containsExactly(72L);

        b.free(pfn, 3);

        assertThat(b.nrFree(6)).isEqualTo(1);
        assertThat(b.nrFree(5) + b.nrFree(4) + b.nrFree(3)).isZero();
        assertThat(b.freePages()).isEqualTo(64);
        b.checkInvariants("test", p -> false);
    }

    /** LINUX.md 1.3: order 0 from an order-3 block at P returns P and frees P+4, P+2, P+1. */
    @Test
    void expandShouldPutUpperHalvesOnTheListsAndKeepTheLowest() {
        BuddyAllocator b = new BuddyAllocator(0, 64, null);
        b.bootFreeRange(8, 16);
        long pfn = b.rmqueue(0, MigrateType.MOVABLE);
        assertThat(pfn).isEqualTo(8);
        assertThat(b.listPfns(2, MigrateType.MOVABLE, 0, 4)).containsExactly(12L);
        assertThat(b.listPfns(1, MigrateType.MOVABLE, 0, 4)).containsExactly(10L);
        assertThat(b.listPfns(0, MigrateType.MOVABLE, 0, 4)).containsExactly(9L);
    }

    /** __find_buddy_pfn: pfn 8 order 1 → 10. */
    @Test
    void buddyOfABlockDiffersInTheBitOfItsOrder() {
        assertThat(BuddyAllocator.findBuddyPfn(8, 1)).isEqualTo(10);
        assertThat(BuddyAllocator.findBuddyPfn(10, 1)).isEqualTo(8);
        assertThat(BuddyAllocator.findBuddyPfn(0, 10)).isEqualTo(1024);
    }

    /** fallbacks[]: an UNMOVABLE request on an all-MOVABLE zone steals from the largest block and claims its pageblock. */
    @Test
    void unmovableRequestShouldFallBackToMovableAndClaimThePageblock() {
        BuddyAllocator b = new BuddyAllocator(0, 4096, null);
        b.bootFreeRange(0, 4096);
        long pfn = b.rmqueue(0, MigrateType.UNMOVABLE);
        assertThat(pfn).isEqualTo(0);
        assertThat(b.pageblockMigratetype(0)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(b.pageblockMigratetype(512)).isEqualTo(MigrateType.UNMOVABLE);
        assertThat(b.nrFree(9, MigrateType.UNMOVABLE)).isEqualTo(1);
        b.free(pfn, 0);
        b.checkInvariants("test", p -> false);
        assertThat(b.freePages()).isEqualTo(4096);
    }
}
