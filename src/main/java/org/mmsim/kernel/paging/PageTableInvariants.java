package org.mmsim.kernel.paging;

import java.util.HashSet;
import java.util.Set;

/**
 * The debug checks of a {@link PageTable}, in the spirit of {@code VM_BUG_ON} and
 * {@code check_mm()}'s "BUG: non-zero pgtables_bytes" in kernel/fork.c. Recursion depth is the
 * number of levels.
 */
final class PageTableInvariants {

    private PageTableInvariants() {
    }

    static void check(PageTable pt) {
        if (pt.pgd == null) {
            fail("the page table was destroyed");
        }
        Geometry geo = pt.geo;
        long[] nrTables = new long[geo.nrLevels];
        Set<Long> pfns = new HashSet<>();
        boolean[] cachedFound = {pt.cachedLeaf() == null};
        checkTable(pt, pt.pgd, 0, 0, nrTables, pfns, cachedFound);
        long bytes = 0;
        for (int l = 0; l < geo.nrLevels; l++) {
            if (nrTables[l] != pt.nrTables[l]) {
                fail(geo.names[l] + " tables: counted " + pt.nrTables[l] + ", found " + nrTables[l]);
            }
            if (geo.accounted[l]) {
                bytes += nrTables[l] * geo.tableBytes();
            }
        }
        if (bytes != pt.pgtablesBytes()) {
            fail("pgtables_bytes " + pt.pgtablesBytes() + ", tables make " + bytes);
        }
        if (!cachedFound[0]) {
            fail("the remembered leaf table is not in the tree");
        }
        if ((pt.cachedLeaf() == null) != (pt.cachedLeafBase() == -1)) {
            fail("remembered leaf and its base disagree");
        }
    }

    private static void checkTable(PageTable pt, Ptdesc t, int level, long address, long[] nrTables,
            Set<Long> pfns, boolean[] cachedFound) {
        Geometry geo = pt.geo;
        String where = geo.names[level] + " table at 0x" + Long.toHexString(address) + " (pfn 0x"
                + Long.toHexString(t.pfn) + ")";
        if (t.level != level || t.address != address) {
            fail(where + " records level " + t.level + " address 0x" + Long.toHexString(t.address));
        }
        if (t.pfn < 0 || !pfns.add(t.pfn)) {
            fail(where + ": frame used twice or invalid");
        }
        if (t.entries.length != geo.ptrsPerTable) {
            fail(where + " has " + t.entries.length + " entries");
        }
        nrTables[level]++;
        int nonNone = Ptdesc.countNonNone(t.entries);
        if (t.nrEntries() != nonNone) {
            fail(where + " counts " + t.nrEntries() + " entries, holds " + nonNone);
        }
        if (level == geo.leafLevel) {
            if (t.children != null) {
                fail(where + " is a leaf with children");
            }
            if (t == pt.cachedLeaf()) {
                cachedFound[0] = true;
                if (pt.cachedLeafBase() != address) {
                    fail(where + " is remembered at base 0x" + Long.toHexString(pt.cachedLeafBase()));
                }
            }
            return;
        }
        for (int i = 0; i < t.entries.length; i++) {
            Ptdesc child = t.children[i];
            long e = t.entries[i];
            boolean bit = (t.present[i >>> 6] & (1L << i)) != 0;
            if (bit != (child != null)) {
                fail(where + " present bit " + i + " is " + bit);
            }
            if (child == null) {
                if (e != 0) {
                    fail(where + " entry " + i + " = 0x" + Long.toHexString(e) + " has no table");
                }
                continue;
            }
            if (e != PageTable.tableEntry(child.pfn)) {
                fail(where + " entry " + i + " = 0x" + Long.toHexString(e) + " but the table is at pfn 0x"
                        + Long.toHexString(child.pfn));
            }
            checkTable(pt, child, level + 1, address + i * geo.entrySize(level), nrTables, pfns,
                    cachedFound);
        }
    }

    private static void fail(String message) {
        throw new IllegalStateException("page table: " + message);
    }
}
