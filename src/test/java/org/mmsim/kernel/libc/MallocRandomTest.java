package org.mmsim.kernel.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Thousands of seeded malloc/calloc/realloc/free/mallopt steps, with a kernel that sometimes
 * refuses sbrk (so the heap continues in mmap'd memory behind fenceposts): after every step
 * {@code checkInvariants()} holds, no two live allocations overlap, every live pointer is
 * 16-aligned with at least the bytes asked for, and a snapshot restores to the same bytes.
 */
class MallocRandomTest {

    @ParameterizedTest(name = "SIZE_SZ {0}, seed {1}")
    @CsvSource({"8, 1", "8, 2", "8, 3", "4, 4", "4, 5"})
    void randomStepsKeepTheHeapSound(int sizeSz, long seed) throws IOException {
        Random rnd = new Random(seed);
        Malloc m = new Malloc(sizeSz);
        FakeSyscalls sys = sizeSz == 8 ? FakeSyscalls.x8664() : FakeSyscalls.i386();
        TreeMap<Long, Long> live = new TreeMap<>(); // user pointer -> bytes requested
        List<Long> order = new ArrayList<>();
        EnumSet<MallocPath> mallocPaths = EnumSet.noneOf(MallocPath.class);
        EnumSet<FreePath> freePaths = EnumSet.noneOf(FreePath.class);
        boolean wentNoncontiguous = false;
        boolean trimmed = false;
        for (int step = 0; step < 6000; step++) {
            int op = rnd.nextInt(100);
            if (op < 45) {
                MallocResult r = m.malloc(size(rnd, sizeSz), sys);
                mallocPaths.add(r.path());
                remember(r, live, order, -1);
            } else if (op < 50) {
                long n = 1 + rnd.nextInt(20);
                long elem = size(rnd, sizeSz) / n;
                MallocResult r = m.calloc(n, elem, sys);
                remember(r, live, order, n * elem);
            } else if (op < 58 && !order.isEmpty()) {
                long p = order.remove(rnd.nextInt(order.size()));
                live.remove(p);
                long bytes = size(rnd, sizeSz);
                MallocResult r = m.realloc(p, bytes, sys);
                mallocPaths.add(r.path());
                if (r.address() == 0 && bytes != 0) {
                    live.put(p, 0L); // the old block stays on failure
                    order.add(p);
                } else {
                    remember(r, live, order, bytes);
                }
            } else if (op < 95 && !order.isEmpty()) {
                long p = order.remove(rnd.nextInt(order.size()));
                live.remove(p);
                FreeResult r = m.free(p, sys);
                freePaths.add(r.path());
                trimmed |= r.trimmedBytes() > 0;
            } else if (op < 97) {
                mallopt(m, rnd);
            } else {
                sys.refuseSbrk = rnd.nextInt(4) == 0;
            }
            m.checkInvariants();
            checkLive(m, live);
            wentNoncontiguous |= !m.contiguous();
            if (step % 500 == 499) {
                m = roundTrip(m);
            }
        }
        EnumSet<MallocPath> rare = EnumSet.of(MallocPath.FASTBIN, MallocPath.UNSORTED_EXACT, MallocPath.FREED);
        assertTrue(mallocPaths.containsAll(EnumSet.complementOf(rare)), () -> "malloc paths taken: " + mallocPaths);
        assertEquals(EnumSet.complementOf(EnumSet.of(FreePath.NONE)), freePaths, "free paths taken");
        assertTrue(wentNoncontiguous, "sbrk refused at least once: the heap went on in mmap'd memory");
        assertTrue(trimmed, "systrim gave memory back at least once");
    }

    private static long size(Random rnd, int sizeSz) {
        int kind = rnd.nextInt(100);
        if (kind < 60) {
            return rnd.nextInt(160);
        } else if (kind < 85) {
            return rnd.nextInt(1100);
        } else if (kind < 97) {
            return rnd.nextInt(70_000);
        }
        return rnd.nextInt(sizeSz == 8 ? 600_000 : 300_000);
    }

    private static void mallopt(Malloc m, Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0 -> m.mallopt(Malloc.M_MXFAST, rnd.nextInt(200));
            case 1 -> m.mallopt(Malloc.M_TRIM_THRESHOLD, rnd.nextInt(300_000));
            case 2 -> m.mallopt(Malloc.M_TOP_PAD, rnd.nextInt(200_000));
            case 3 -> m.mallopt(Malloc.M_MMAP_THRESHOLD, rnd.nextInt(300_000));
            case 4 -> m.mallopt(Malloc.M_MMAP_MAX, rnd.nextInt(4));
            default -> m.mallopt(Malloc.M_PERTURB, rnd.nextInt(256));
        }
    }

    private static void remember(MallocResult r, TreeMap<Long, Long> live, List<Long> order, long bytes) {
        if (r.address() == 0) {
            return;
        }
        assertEquals(0, r.address() & 15, "16-aligned");
        live.put(r.address(), Math.max(bytes, 0));
        order.add(r.address());
    }

    private static void checkLive(Malloc m, TreeMap<Long, Long> live) {
        long prevEnd = Long.MIN_VALUE;
        for (Map.Entry<Long, Long> e : live.entrySet()) {
            long p = e.getKey();
            long usable = m.mallocUsableSize(p);
            if (usable < e.getValue()) {
                fail(String.format("%#x has %d usable bytes, %d were asked", p, usable, e.getValue()));
            }
            assertTrue(p >= prevEnd, () -> String.format("%#x overlaps the allocation before it", p));
            prevEnd = p + usable;
        }
    }

    private static Malloc roundTrip(Malloc m) throws IOException {
        byte[] first = bytes(m);
        Malloc copy = Malloc.readFrom(new DataInputStream(new ByteArrayInputStream(first)));
        copy.checkInvariants();
        assertArrayEquals(first, bytes(copy), "a restored snapshot writes the same bytes");
        return copy;
    }

    static byte[] bytes(Malloc m) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        m.writeTo(new DataOutputStream(buf));
        return buf.toByteArray();
    }
}
