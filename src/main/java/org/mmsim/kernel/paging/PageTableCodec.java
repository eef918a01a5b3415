package org.mmsim.kernel.paging;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The snapshot form of a {@link PageTable}: a header (magic, version, arch id), then each table
 * page depth-first in address order — its frame, its number of non-none entries, each as
 * (index, value) — with an intermediate table's children following it in index order. The
 * same tree always encodes to the same bytes; counts are recomputed on reading, never stored.
 */
final class PageTableCodec {
    private static final int MAGIC = 0x50475442; // "PGTB"
    private static final int VERSION = 1;

    private PageTableCodec() {
    }

    static void write(PageTable pt, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeUTF(pt.geo.arch.id());
        writeTable(pt.pgd, out);
    }

    private static void writeTable(Ptdesc t, DataOutputStream out) throws IOException {
        out.writeLong(t.pfn);
        long[] entries = t.entries;
        out.writeShort(Ptdesc.countNonNone(entries));
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] != 0) {
                out.writeShort(i);
                out.writeLong(entries[i]);
            }
        }
        if (t.children != null) {
            for (Ptdesc child : t.children) {
                if (child != null) {
                    writeTable(child, out);
                }
            }
        }
    }

    static PageTable read(DataInputStream in, Geometry geo, PageTable.TableAllocator allocator)
            throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a page-table snapshot");
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("page-table snapshot version " + version + " is not supported");
        }
        String id = in.readUTF();
        if (!id.equals(geo.arch.id())) {
            throw new IOException("page-table snapshot is for " + id + ", not " + geo.arch.id());
        }
        Ptdesc pgd = readTable(in, geo, 0, 0);
        PageTable pt = new PageTable(geo, allocator, pgd);
        pt.nrTables[0] = 0;
        account(pt, pgd);
        try {
            pt.checkInvariants();
        } catch (IllegalStateException e) {
            throw new IOException("corrupt page-table snapshot: " + e.getMessage(), e);
        }
        return pt;
    }

    private static Ptdesc readTable(DataInputStream in, Geometry geo, int level, long address)
            throws IOException {
        long pfn = in.readLong();
        boolean leaf = level == geo.leafLevel;
        Ptdesc t = new Ptdesc(pfn, level, address, geo.ptrsPerTable, leaf);
        int n = in.readUnsignedShort();
        int previous = -1;
        for (int k = 0; k < n; k++) {
            int i = in.readUnsignedShort();
            if (i <= previous || i >= geo.ptrsPerTable) {
                throw new IOException("corrupt page-table snapshot: entry index " + i);
            }
            long e = in.readLong();
            if (e == 0) {
                throw new IOException("corrupt page-table snapshot: none entry stored");
            }
            t.entries[i] = e;
            previous = i;
        }
        if (!leaf) {
            for (int i = 0; i < geo.ptrsPerTable; i++) {
                if (t.entries[i] != 0) {
                    Ptdesc child = readTable(in, geo, level + 1, address + i * geo.entrySize(level));
                    long e = t.entries[i];
                    if (e != PageTable.tableEntry(child.pfn)) {
                        throw new IOException("corrupt page-table snapshot: entry " + i
                                + " does not point at pfn " + child.pfn);
                    }
                    t.entries[i] = 0;
                    t.link(i, child, e);
                }
            }
        }
        if (leaf) {
            t.nrEntries = n;
        }
        return t;
    }

    private static void account(PageTable pt, Ptdesc t) {
        pt.account(t, +1);
        if (t.children != null) {
            for (Ptdesc child : t.children) {
                if (child != null) {
                    account(pt, child);
                }
            }
        }
    }
}
