package org.mmsim.kernel.libc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The byte encoding of a {@link Malloc}: {@code mp_}, {@code main_arena}, every chunk header in
 * address order, the segments, and each free list as the addresses along {@code fd}. The
 * large-bin skip lists are not written: they follow from the bin order (the first chunk of each
 * size, in order). Same state, same bytes.
 */
final class MallocSnapshots {
    private static final int MAGIC = 0x6d616c31; // "mal1"
    private static final long NONE = 0;

    private MallocSnapshots() {
    }

    static void write(Malloc m, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(m.sizes.sizeSz);
        out.writeLong(m.pagesize);
        long[] par = {m.trimThreshold, m.topPad, m.mmapThreshold, m.arenaTest, m.arenaMax, m.nMmaps, m.nMmapsMax,
            m.maxNMmaps, m.noDynThreshold ? 1 : 0, m.mmappedMem, m.maxMmappedMem, m.sbrkBase, m.tcacheBins,
            m.tcacheMaxBytes, m.tcacheCount, m.tcacheUnsortedLimit, m.perturbByte, m.globalMaxFast,
            m.lastRemainder, m.haveFastchunks ? 1 : 0, m.contiguous ? 1 : 0, m.systemMem, m.maxSystemMem,
            m.top == m.initialTop ? NONE : m.top.address, m.tcache == null ? NONE : m.tcache.address,
            m.tcache != null && m.tcache.isMmapped() ? 1 : 0};
        out.writeInt(par.length);
        for (long v : par) {
            out.writeLong(v);
        }
        writeChunks(m.heap.values(), out);
        writeChunks(m.mmapped.values(), out);
        out.writeInt(m.segments.size());
        for (Map.Entry<Long, Long> e : m.segments.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
        for (Chunk head : m.tcacheEntries) {
            writeSinglyLinked(head, out);
        }
        for (Chunk head : m.fastbinsY) {
            writeSinglyLinked(head, out);
        }
        for (int i = 1; i < MallocSizes.NBINS; i++) {
            List<Long> addresses = new ArrayList<>();
            for (Chunk p = m.bins[i].fd; p != m.bins[i]; p = p.fd) {
                addresses.add(p.address);
            }
            out.writeInt(addresses.size());
            for (long a : addresses) {
                out.writeLong(a);
            }
        }
    }

    private static void writeChunks(Iterable<Chunk> chunks, DataOutputStream out) throws IOException {
        List<Chunk> all = new ArrayList<>();
        chunks.forEach(all::add);
        out.writeInt(all.size());
        for (Chunk c : all) {
            out.writeLong(c.address);
            out.writeLong(c.prevSize);
            out.writeLong(c.size);
            out.writeBoolean(c.allocated);
        }
    }

    private static void writeSinglyLinked(Chunk head, DataOutputStream out) throws IOException {
        int n = 0;
        for (Chunk p = head; p != null; p = p.fd) {
            n++;
        }
        out.writeInt(n);
        for (Chunk p = head; p != null; p = p.fd) {
            out.writeLong(p.address);
        }
    }

    static Malloc read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a malloc snapshot");
        }
        Malloc m = new Malloc(in.readInt(), in.readLong());
        int n = in.readInt();
        long[] par = new long[n];
        for (int i = 0; i < n; i++) {
            par[i] = in.readLong();
        }
        int k = 0;
        m.trimThreshold = par[k++];
        m.topPad = par[k++];
        m.mmapThreshold = par[k++];
        m.arenaTest = par[k++];
        m.arenaMax = par[k++];
        m.nMmaps = (int) par[k++];
        m.nMmapsMax = (int) par[k++];
        m.maxNMmaps = (int) par[k++];
        m.noDynThreshold = par[k++] != 0;
        m.mmappedMem = par[k++];
        m.maxMmappedMem = par[k++];
        m.sbrkBase = par[k++];
        m.tcacheBins = (int) par[k++];
        m.tcacheMaxBytes = par[k++];
        m.tcacheCount = (int) par[k++];
        m.tcacheUnsortedLimit = par[k++];
        m.perturbByte = (int) par[k++];
        m.globalMaxFast = par[k++];
        m.lastRemainder = par[k++];
        m.haveFastchunks = par[k++] != 0;
        m.contiguous = par[k++] != 0;
        m.systemMem = par[k++];
        m.maxSystemMem = par[k++];
        long top = par[k++];
        long tcache = par[k++];
        boolean tcacheMmapped = par[k++] != 0;
        readChunks(m.heap, in);
        readChunks(m.mmapped, in);
        int segments = in.readInt();
        for (int i = 0; i < segments; i++) {
            m.segments.put(in.readLong(), in.readLong());
        }
        if (top != NONE) {
            m.top = chunk(m.heap, top);
        }
        if (tcache != NONE) {
            m.tcache = chunk(tcacheMmapped ? m.mmapped : m.heap, tcache);
        }
        for (int i = 0; i < m.tcacheEntries.length; i++) {
            m.tcacheEntries[i] = readSinglyLinked(m, in);
            for (Chunk p = m.tcacheEntries[i]; p != null; p = p.fd) {
                m.tcacheCounts[i]++;
            }
        }
        for (int i = 0; i < m.fastbinsY.length; i++) {
            m.fastbinsY[i] = readSinglyLinked(m, in);
        }
        for (int i = 1; i < MallocSizes.NBINS; i++) {
            readBin(m, i, in);
        }
        return m;
    }

    private static void readChunks(Map<Long, Chunk> into, DataInputStream in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Chunk c = new Chunk(in.readLong(), 0);
            c.prevSize = in.readLong();
            c.size = in.readLong();
            c.allocated = in.readBoolean();
            into.put(c.address, c);
        }
    }

    private static Chunk chunk(Map<Long, Chunk> from, long address) throws IOException {
        Chunk c = from.get(address);
        if (c == null) {
            throw new IOException("snapshot names a chunk at " + Long.toHexString(address) + " it does not hold");
        }
        return c;
    }

    private static Chunk readSinglyLinked(Malloc m, DataInputStream in) throws IOException {
        int n = in.readInt();
        Chunk head = null;
        Chunk last = null;
        for (int i = 0; i < n; i++) {
            Chunk c = chunk(m.heap, in.readLong());
            if (last == null) {
                head = c;
            } else {
                last.fd = c;
            }
            last = c;
        }
        return head;
    }

    /** A bin's list in fd order, and for a large bin its skip list: the first chunk of each size, a ring. */
    private static void readBin(Malloc m, int i, DataInputStream in) throws IOException {
        Chunk bin = m.bins[i];
        int n = in.readInt();
        Chunk last = bin;
        List<Chunk> runs = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            Chunk c = chunk(m.heap, in.readLong());
            last.fd = c;
            c.bk = last;
            if (i >= MallocSizes.NSMALLBINS && (last == bin || last.chunksize() != c.chunksize())) {
                runs.add(c);
            }
            last = c;
        }
        last.fd = bin;
        bin.bk = last;
        for (int j = 0; j < runs.size(); j++) {
            Chunk c = runs.get(j);
            c.fdNextsize = runs.get((j + 1) % runs.size());
            c.bkNextsize = runs.get((j + runs.size() - 1) % runs.size());
        }
    }
}
