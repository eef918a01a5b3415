package org.mmsim.kernel.phys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code _refcount} and {@code _mapcount} share one packed word in {@link PageStore}: every
 * combination of signs a page goes through (unmapped -1, the zero refcount of a page being freed,
 * a page mapped by many forks) must read back exactly.
 */
class PageStoreCountersTest {

    @Test
    void refcountAndMapcountShouldReadBackThroughEverySignCombination() {
        PageStore store = new PageStore();
        store.add(0x1234, 0, MigrateType.MOVABLE, 0x100cca, PageStore.OWNER_ANON);
        // folio_add_new_anon_rmap on a fresh folio: refcount 1, mapcount -1 → the add() default
        assertThat(store.refcount(0x1234)).isEqualTo(1);
        assertThat(store.mapcount(0x1234)).isEqualTo(-1);
        // 1000 forks: each child PTE takes a reference and a mapping
        for (int i = 0; i < 1000; i++) {
            store.addPageCounters(0x1234, 1, 1);
        }
        assertThat(store.refcount(0x1234)).isEqualTo(1001);
        assertThat(store.mapcount(0x1234)).isEqualTo(999);
        // zap_present_ptes in every child but one: a mapping and a reference each
        for (int i = 0; i < 999; i++) {
            assertThat(store.addAndGetRefcount(0x1234, -1, -1)).isEqualTo(1001 - 1 - i);
        }
        assertThat(store.refcount(0x1234)).isEqualTo(2);
        assertThat(store.mapcount(0x1234)).isEqualTo(0);
        // the last unmap leaves mapcount -1 with one reference; the final put reaches 0
        assertThat(store.addAndGetRefcount(0x1234, -1, -1)).isEqualTo(1);
        assertThat(store.mapcount(0x1234)).isEqualTo(-1);
        assertThat(store.addAndGetRefcount(0x1234, -1, 0)).isEqualTo(0);
        assertThat(store.mapcount(0x1234)).isEqualTo(-1);
        // set_page_count-style overwrite with a negative mapcount and back
        store.setPageCounters(0x1234, 7, -1, PageStore.OWNER_SHMEM);
        assertThat(store.refcount(0x1234)).isEqualTo(7);
        assertThat(store.mapcount(0x1234)).isEqualTo(-1);
        assertThat(store.owner(0x1234)).isEqualTo(PageStore.OWNER_SHMEM);
    }

    @Test
    void freeingARecordShouldClearItsCountersForTheNextAllocation() {
        PageStore store = new PageStore();
        store.add(0x40, 0, 0, 0xcc0, PageStore.OWNER_ANON);
        store.addPageCounters(0x40, 3, 2);
        store.remove(0x40);
        // a kernel allocation of the same pfn: a fresh page's counters (refcount 1, unmapped, kernel)
        store.add(0x40, 0, 0, 0xcc0, PageStore.OWNER_KERNEL);
        assertThat(store.refcount(0x40)).isEqualTo(1);
        assertThat(store.mapcount(0x40)).isEqualTo(-1);
        assertThat(store.owner(0x40)).isEqualTo(PageStore.OWNER_KERNEL);
    }
}
