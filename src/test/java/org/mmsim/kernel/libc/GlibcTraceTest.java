package org.mmsim.kernel.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Ground truth from the real glibc: each test replays a scenario of src/test/c/malloc_trace.c on
 * the model and prints the same lines. The expected texts are that program's output on Debian
 * glibc 2.36-9+deb12u14, x86_64, produced with
 *
 * <pre>
 *   gcc -O0 -o /tmp/malloc_trace src/test/c/malloc_trace.c
 *   for s in basic threshold threshold128 brkblocked realloc fastbins smallbins coalesce trim mallopt mmapmax0 threshold0 largebins remainder; do
 *     /tmp/malloc_trace $s; done
 * </pre>
 *
 * Pointers are offsets from the break before the first malloc ({@code heap+}), or the offset
 * within the page for mmapped chunks ({@code mmap+}); {@code size} is the size field with its
 * flag bits; {@code brk+} is how far the break has moved.
 */
class GlibcTraceTest {

    /** The model behind the same printing as malloc_trace.c. */
    private static final class Tracer {
        final Malloc malloc = new Malloc(8);
        final FakeSyscalls sys = FakeSyscalls.x8664();
        final StringBuilder out = new StringBuilder();

        Tracer(String scenario) {
            out.append("scenario ").append(scenario).append('\n');
        }

        long m(long n) {
            MallocResult r = malloc.malloc(n, sys);
            malloc.checkInvariants();
            long p = r.address();
            if (p == 0) {
                out.append(String.format("malloc(%d) = NULL brk+%s%n", n, hex(sys.brkGrowth())));
            } else if (p >= sys.startBrk && p < sys.brk) {
                out.append(String.format("malloc(%d) = heap+%s size=%s brk+%s%n", n, hex(p - sys.startBrk),
                        hex(sizeField(r)), hex(sys.brkGrowth())));
            } else {
                out.append(String.format("malloc(%d) = mmap+%s size=%s brk+%s%n", n, hex(p & 4095),
                        hex(sizeField(r)), hex(sys.brkGrowth())));
            }
            return p;
        }

        long r(long p, long n) {
            return show("realloc", n, malloc.realloc(p, n, sys));
        }

        long c(long n) {
            return show("calloc", n, malloc.calloc(1, n, sys));
        }

        private long show(String what, long n, MallocResult r) {
            malloc.checkInvariants();
            long p = r.address();
            if (p == 0) {
                out.append(String.format("%s(%d) = NULL brk+%s%n", what, n, hex(sys.brkGrowth())));
            } else {
                out.append(String.format("%s(%d) = heap+%s size=%s brk+%s%n", what, n, hex(p - sys.startBrk),
                        hex(sizeField(r)), hex(sys.brkGrowth())));
            }
            return p;
        }

        void f(long p) {
            malloc.free(p, sys);
            malloc.checkInvariants();
            out.append(String.format("free -> brk+%s%n", hex(sys.brkGrowth())));
        }

        void opt(int param, int value, String name) {
            int r = malloc.mallopt(param, value);
            out.append(String.format("mallopt(%s, %d) = %d%n", name, value, r));
        }

        void info() {
            Mallinfo2 mi = malloc.mallinfo2();
            out.append(String.format("mallinfo2 arena=%d ordblks=%d smblks=%d hblks=%d hblkhd=%d uordblks=%d"
                    + " fordblks=%d keepcost=%d%n", mi.arena(), mi.ordblks(), mi.smblks(), mi.hblks(), mi.hblkhd(),
                    mi.uordblks(), mi.fordblks(), mi.keepcost()));
        }

        private long sizeField(MallocResult r) {
            Chunk c = r.via().equals("mmap") ? malloc.mmapped.get(r.chunkAddress()) : malloc.heap.get(r.chunkAddress());
            return c.size;
        }

        /** C's {@code %#lx}: 0 prints as "0". */
        private static String hex(long v) {
            return v == 0 ? "0" : "0x" + Long.toHexString(v);
        }
    }

    /** malloc(128 KiB) is mmapped when the top cannot hold it; its free makes the threshold 135168, and the same request grows brk. */
    @Test
    void mmappedThenHeapAfterThresholdRise() {
        Tracer t = new Tracer("threshold128");
        t.m(1);
        t.m(8000);
        long big = t.m(128 * 1024);
        t.f(big);
        t.m(128 * 1024);
        t.info();
        assertEquals("""
                scenario threshold128
                malloc(1) = heap+0x2a0 size=0x21 brk+0x21000
                malloc(8000) = heap+0x2c0 size=0x1f51 brk+0x21000
                malloc(131072) = mmap+0x10 size=0x21002 brk+0x21000
                free -> brk+0x21000
                malloc(131072) = heap+0x2210 size=0x20011 brk+0x43000
                mallinfo2 arena=274432 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=139792 fordblks=134640 keepcost=134640
                """, t.out.toString());
    }

    /**
     * brk refused (a mapping 1 MiB above the break): the heap goes on in an mmap'd extension. When
     * brk works again, the old top is fenced off and freed, and that free's systrim trims the new
     * top before the request is carved: glibc returns NULL, and the next identical request succeeds.
     */
    @Test
    void refusedBrkThenResumedBrk() {
        Tracer t = new Tracer("brkblocked");
        t.opt(Malloc.M_MMAP_MAX, 0, "M_MMAP_MAX");
        t.m(1);
        t.sys.brkLimit = t.sys.brk + 0x100000 - 4096; // the kernel wants newbrk + PAGE_SIZE below the mapping
        t.m(1500 * 1024);
        t.sys.brkLimit = Long.MAX_VALUE;
        t.m(3 * 1024 * 1024);
        t.m(3 * 1024 * 1024);
        t.info();
        assertEquals("""
                scenario brkblocked
                mallopt(M_MMAP_MAX, 0) = 1
                malloc(1) = heap+0x2a0 size=0x21 brk+0x21000
                malloc(1536000) = mmap+0x10 size=0x177011 brk+0x21000
                malloc(3145728) = NULL brk+0x42000
                malloc(3145728) = heap+0x21010 size=0x300011 brk+0x363000
                mallinfo2 arena=5648384 ordblks=3 smblks=0 hblks=0 hblkhd=0 uordblks=4682512 fordblks=965872 keepcost=270320
                """, t.out.toString());
    }

    /** realloc grows into the top, shrinks in place freeing the rest, moves when blocked; calloc skips the tcache. */
    @Test
    void reallocAndCalloc() {
        Tracer t = new Tracer("realloc");
        long a = t.m(100);
        a = t.r(a, 1000);
        a = t.r(a, 200);
        long b = t.m(50);
        t.r(a, 3000);
        t.f(b);
        t.c(50);
        t.info();
        assertEquals("""
                scenario realloc
                malloc(100) = heap+0x2a0 size=0x71 brk+0x21000
                realloc(1000) = heap+0x2a0 size=0x3f1 brk+0x21000
                realloc(200) = heap+0x2a0 size=0xd1 brk+0x21000
                malloc(50) = heap+0x690 size=0x41 brk+0x21000
                realloc(3000) = heap+0x6d0 size=0xbc1 brk+0x21000
                free -> brk+0x21000
                calloc(50) = heap+0x1290 size=0x41 brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=4800 fordblks=130368 keepcost=130368
                """, t.out.toString());
    }

    /** first malloc makes the tcache_perthread_struct and grows brk by 0x21000; tcache reuse; request2size. */
    @Test
    void basicSequence() {
        Tracer t = new Tracer("basic");
        long a = t.m(1);
            long b = t.m(100);
            t.f(b);
            t.m(100);
            t.m(24);
            t.m(25);
            t.m(0);
            t.info();
        assertEquals("""
                scenario basic
                malloc(1) = heap+0x2a0 size=0x21 brk+0x21000
                malloc(100) = heap+0x2c0 size=0x71 brk+0x21000
                free -> brk+0x21000
                malloc(100) = heap+0x2c0 size=0x71 brk+0x21000
                malloc(24) = heap+0x330 size=0x21 brk+0x21000
                malloc(25) = heap+0x350 size=0x31 brk+0x21000
                malloc(0) = heap+0x380 size=0x21 brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=912 fordblks=134256 keepcost=134256
                """, t.out.toString());
    }

    /** malloc(128 KiB) is mmapped; its free raises the threshold to 135168, so the same request then comes from the heap. */
    @Test
    void dynamicMmapThreshold() {
        Tracer t = new Tracer("threshold");
        t.m(1);
            long big = t.m(128 * 1024);
            t.f(big);
            long again = t.m(128 * 1024);
            t.info();
            t.f(again);
            t.info();
            long x = t.m(200 * 1024);
            t.f(x);
            t.info();
        assertEquals("""
                scenario threshold
                malloc(1) = heap+0x2a0 size=0x21 brk+0x21000
                malloc(131072) = heap+0x2c0 size=0x20011 brk+0x21000
                free -> brk+0x21000
                malloc(131072) = heap+0x2c0 size=0x20011 brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=131776 fordblks=3392 keepcost=3392
                free -> brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=688 fordblks=134480 keepcost=134480
                malloc(204800) = mmap+0x10 size=0x33002 brk+0x21000
                free -> brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=688 fordblks=134480 keepcost=134480
                """, t.out.toString());
    }

    /** 7 frees fill the tcache, 3 go to the fast bin; a fast-bin hit stashes the rest in the tcache; a large request consolidates. */
    @Test
    void fastbinsAndTcacheStash() {
        Tracer t = new Tracer("fastbins");
        long[] p = new long[10];
            for (int i = 0; i < 10; i++) {
                p[i] = t.m(40);
            }
            for (int i = 0; i < 10; i++) {
                t.f(p[i]);
            }
            t.info();
            for (int i = 0; i < 10; i++) {
                t.m(40);
            }
            t.m(2000);
            for (int i = 0; i < 9; i++) {
                t.f(p[i]);
            }
            t.m(2000);
            t.info();
        assertEquals("""
                scenario fastbins
                malloc(40) = heap+0x2a0 size=0x31 brk+0x21000
                malloc(40) = heap+0x2d0 size=0x31 brk+0x21000
                malloc(40) = heap+0x300 size=0x31 brk+0x21000
                malloc(40) = heap+0x330 size=0x31 brk+0x21000
                malloc(40) = heap+0x360 size=0x31 brk+0x21000
                malloc(40) = heap+0x390 size=0x31 brk+0x21000
                malloc(40) = heap+0x3c0 size=0x31 brk+0x21000
                malloc(40) = heap+0x3f0 size=0x31 brk+0x21000
                malloc(40) = heap+0x420 size=0x31 brk+0x21000
                malloc(40) = heap+0x450 size=0x31 brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=3 hblks=0 hblkhd=0 uordblks=992 fordblks=134176 keepcost=134032
                malloc(40) = heap+0x3c0 size=0x31 brk+0x21000
                malloc(40) = heap+0x390 size=0x31 brk+0x21000
                malloc(40) = heap+0x360 size=0x31 brk+0x21000
                malloc(40) = heap+0x330 size=0x31 brk+0x21000
                malloc(40) = heap+0x300 size=0x31 brk+0x21000
                malloc(40) = heap+0x2d0 size=0x31 brk+0x21000
                malloc(40) = heap+0x2a0 size=0x31 brk+0x21000
                malloc(40) = heap+0x450 size=0x31 brk+0x21000
                malloc(40) = heap+0x3f0 size=0x31 brk+0x21000
                malloc(40) = heap+0x420 size=0x31 brk+0x21000
                malloc(2000) = heap+0x480 size=0x7e1 brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                malloc(2000) = heap+0xc60 size=0x7e1 brk+0x21000
                mallinfo2 arena=135168 ordblks=2 smblks=0 hblks=0 hblkhd=0 uordblks=5072 fordblks=130096 keepcost=130000
                """, t.out.toString());
    }

    /** unsorted chunks sorted into a small bin; small-bin hits stash into the tcache; a smaller request splits via the binmap. */
    @Test
    void smallBinsAndBinmap() {
        Tracer t = new Tracer("smallbins");
        long[] p = new long[9];
            for (int i = 0; i < 9; i++) {
                p[i] = t.m(200);
                t.m(16);
            }
            for (int i = 0; i < 9; i++) {
                t.f(p[i]);
            }
            t.info();
            t.m(300);
            t.info();
            t.m(200);
            t.m(200);
            t.m(200);
            t.m(100);
            t.info();
        assertEquals("""
                scenario smallbins
                malloc(200) = heap+0x2a0 size=0xd1 brk+0x21000
                malloc(16) = heap+0x370 size=0x21 brk+0x21000
                malloc(200) = heap+0x390 size=0xd1 brk+0x21000
                malloc(16) = heap+0x460 size=0x21 brk+0x21000
                malloc(200) = heap+0x480 size=0xd1 brk+0x21000
                malloc(16) = heap+0x550 size=0x21 brk+0x21000
                malloc(200) = heap+0x570 size=0xd1 brk+0x21000
                malloc(16) = heap+0x640 size=0x21 brk+0x21000
                malloc(200) = heap+0x660 size=0xd1 brk+0x21000
                malloc(16) = heap+0x730 size=0x21 brk+0x21000
                malloc(200) = heap+0x750 size=0xd1 brk+0x21000
                malloc(16) = heap+0x820 size=0x21 brk+0x21000
                malloc(200) = heap+0x840 size=0xd1 brk+0x21000
                malloc(16) = heap+0x910 size=0x21 brk+0x21000
                malloc(200) = heap+0x930 size=0xd1 brk+0x21000
                malloc(16) = heap+0xa00 size=0x21 brk+0x21000
                malloc(200) = heap+0xa20 size=0xd1 brk+0x21000
                malloc(16) = heap+0xaf0 size=0x21 brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                mallinfo2 arena=135168 ordblks=3 smblks=0 hblks=0 hblkhd=0 uordblks=2400 fordblks=132768 keepcost=132352
                malloc(300) = heap+0xb10 size=0x141 brk+0x21000
                mallinfo2 arena=135168 ordblks=3 smblks=0 hblks=0 hblkhd=0 uordblks=2720 fordblks=132448 keepcost=132032
                malloc(200) = heap+0x840 size=0xd1 brk+0x21000
                malloc(200) = heap+0x750 size=0xd1 brk+0x21000
                malloc(200) = heap+0x660 size=0xd1 brk+0x21000
                malloc(100) = heap+0x930 size=0x71 brk+0x21000
                mallinfo2 arena=135168 ordblks=3 smblks=0 hblks=0 hblkhd=0 uordblks=2832 fordblks=132336 keepcost=132032
                """, t.out.toString());
    }

    /** freeing three neighbours coalesces them into one unsorted chunk that a larger request splits. */
    @Test
    void coalescing() {
        Tracer t = new Tracer("coalesce");
        long a = t.m(2000);
            long b = t.m(2000);
            long c = t.m(2000);
            t.m(2000);
            t.f(a);
            t.f(c);
            t.f(b);
            t.info();
            t.m(5000);
            t.m(1000);
            t.info();
        assertEquals("""
                scenario coalesce
                malloc(2000) = heap+0x2a0 size=0x7e1 brk+0x21000
                malloc(2000) = heap+0xa80 size=0x7e1 brk+0x21000
                malloc(2000) = heap+0x1260 size=0x7e1 brk+0x21000
                malloc(2000) = heap+0x1a40 size=0x7e1 brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                mallinfo2 arena=135168 ordblks=2 smblks=0 hblks=0 hblkhd=0 uordblks=2672 fordblks=132496 keepcost=126448
                malloc(5000) = heap+0x2a0 size=0x1391 brk+0x21000
                malloc(1000) = heap+0x1630 size=0x3f1 brk+0x21000
                mallinfo2 arena=135168 ordblks=2 smblks=0 hblks=0 hblkhd=0 uordblks=8688 fordblks=126480 keepcost=126448
                """, t.out.toString());
    }

    /** frees coalesce into the top and systrim shrinks brk in page steps, keeping top_pad. */
    @Test
    void systrimOnFree() {
        Tracer t = new Tracer("trim");
        t.m(1);
            long[] p = new long[40];
            for (int i = 0; i < 40; i++) {
                p[i] = t.m(10000);
            }
            for (int i = 39; i >= 0; i--) {
                t.f(p[i]);
            }
            t.info();
        assertEquals("""
                scenario trim
                malloc(1) = heap+0x2a0 size=0x21 brk+0x21000
                malloc(10000) = heap+0x2c0 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x29e0 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x5100 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x7820 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x9f40 size=0x2721 brk+0x21000
                malloc(10000) = heap+0xc660 size=0x2721 brk+0x21000
                malloc(10000) = heap+0xed80 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x114a0 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x13bc0 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x162e0 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x18a00 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x1b120 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x1d840 size=0x2721 brk+0x21000
                malloc(10000) = heap+0x1ff60 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x22680 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x24da0 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x274c0 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x29be0 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x2c300 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x2ea20 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x31140 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x33860 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x35f80 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x386a0 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x3adc0 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x3d4e0 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x3fc00 size=0x2721 brk+0x43000
                malloc(10000) = heap+0x42320 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x44a40 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x47160 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x49880 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x4bfa0 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x4e6c0 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x50de0 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x53500 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x55c20 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x58340 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x5aa60 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x5d180 size=0x2721 brk+0x65000
                malloc(10000) = heap+0x5f8a0 size=0x2721 brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x65000
                free -> brk+0x63000
                free -> brk+0x60000
                free -> brk+0x5e000
                free -> brk+0x5b000
                free -> brk+0x59000
                free -> brk+0x56000
                free -> brk+0x54000
                free -> brk+0x52000
                free -> brk+0x4f000
                free -> brk+0x4d000
                free -> brk+0x4a000
                free -> brk+0x48000
                free -> brk+0x45000
                free -> brk+0x43000
                free -> brk+0x40000
                free -> brk+0x3e000
                free -> brk+0x3c000
                free -> brk+0x39000
                free -> brk+0x37000
                free -> brk+0x34000
                free -> brk+0x32000
                free -> brk+0x2f000
                free -> brk+0x2d000
                free -> brk+0x2a000
                free -> brk+0x28000
                free -> brk+0x26000
                free -> brk+0x23000
                free -> brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=688 fordblks=134480 keepcost=134480
                """, t.out.toString());
    }

    /** glibc 2.36 accepts any M_MMAP_THRESHOLD; M_MXFAST above 160 is refused; setting the threshold stops the dynamic threshold. */
    @Test
    void malloptReturnValues() {
        Tracer t = new Tracer("mallopt");
        t.opt(Malloc.M_MMAP_THRESHOLD, 64 * 1024 * 1024 + 1, "M_MMAP_THRESHOLD");
            t.opt(Malloc.M_MMAP_THRESHOLD, 32 * 1024 * 1024 + 1, "M_MMAP_THRESHOLD");
            t.opt(Malloc.M_MMAP_THRESHOLD, 32 * 1024 * 1024, "M_MMAP_THRESHOLD");
            t.opt(Malloc.M_MMAP_THRESHOLD, -1, "M_MMAP_THRESHOLD");
            t.opt(Malloc.M_MXFAST, 161, "M_MXFAST");
            t.opt(Malloc.M_MXFAST, 160, "M_MXFAST");
            t.opt(Malloc.M_ARENA_MAX, 0, "M_ARENA_MAX");
            t.opt(12345, 1, "12345");
            t.opt(Malloc.M_MMAP_THRESHOLD, 64 * 1024, "M_MMAP_THRESHOLD");
            t.m(1);
            long b = t.m(100 * 1024);
            t.f(b);
            t.m(100 * 1024);
            t.info();
        assertEquals("""
                scenario mallopt
                mallopt(M_MMAP_THRESHOLD, 67108865) = 1
                mallopt(M_MMAP_THRESHOLD, 33554433) = 1
                mallopt(M_MMAP_THRESHOLD, 33554432) = 1
                mallopt(M_MMAP_THRESHOLD, -1) = 1
                mallopt(M_MXFAST, 161) = 0
                mallopt(M_MXFAST, 160) = 1
                mallopt(M_ARENA_MAX, 0) = 1
                mallopt(12345, 1) = 1
                mallopt(M_MMAP_THRESHOLD, 65536) = 1
                malloc(1) = heap+0x2a0 size=0x21 brk+0x21000
                malloc(102400) = heap+0x2c0 size=0x19011 brk+0x21000
                free -> brk+0x21000
                malloc(102400) = heap+0x2c0 size=0x19011 brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=103104 fordblks=32064 keepcost=32064
                """, t.out.toString());
    }

    /** M_MMAP_MAX 0: a 1 MiB request grows brk; its free trims the heap back. */
    @Test
    void mmapMaxZero() {
        Tracer t = new Tracer("mmapmax0");
        t.opt(Malloc.M_MMAP_MAX, 0, "M_MMAP_MAX");
            t.m(1);
            long b = t.m(1024 * 1024);
            t.info();
            t.f(b);
            t.info();
        assertEquals("""
                scenario mmapmax0
                mallopt(M_MMAP_MAX, 0) = 1
                malloc(1) = heap+0x2a0 size=0x21 brk+0x21000
                malloc(1048576) = heap+0x2c0 size=0x100011 brk+0x121000
                mallinfo2 arena=1183744 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=1049280 fordblks=134464 keepcost=134464
                free -> brk+0x21000
                mallinfo2 arena=135168 ordblks=1 smblks=0 hblks=0 hblkhd=0 uordblks=688 fordblks=134480 keepcost=134480
                """, t.out.toString());
    }

    /** M_MMAP_THRESHOLD 0: even tcache_perthread_struct is mmapped. */
    @Test
    void mmapThresholdZero() {
        Tracer t = new Tracer("threshold0");
        t.opt(Malloc.M_MMAP_THRESHOLD, 0, "M_MMAP_THRESHOLD");
            t.m(1);
            t.m(5000);
            t.info();
        assertEquals("""
                scenario threshold0
                mallopt(M_MMAP_THRESHOLD, 0) = 1
                malloc(1) = mmap+0x10 size=0x1002 brk+0
                malloc(5000) = mmap+0x10 size=0x2002 brk+0
                mallinfo2 arena=0 ordblks=1 smblks=0 hblks=3 hblkhd=16384 uordblks=0 fordblks=0 keepcost=0
                """, t.out.toString());
    }

    /** large bins sorted with the skip list; best fit; equal sizes taken from the second position. */
    @Test
    void largeBinsBestFit() {
        Tracer t = new Tracer("largebins");
        long[] p = new long[8];
            long[] sz = {1100, 1500, 1100, 3000, 1300, 1500, 2500, 1100};
            for (int i = 0; i < 8; i++) {
                p[i] = t.m(sz[i]);
                t.m(16);
            }
            for (int i = 0; i < 8; i++) {
                t.f(p[i]);
            }
            t.m(4000);
            t.m(1200);
            t.m(1100);
            t.m(1100);
            t.m(1400);
            t.m(2000);
            t.info();
        assertEquals("""
                scenario largebins
                malloc(1100) = heap+0x2a0 size=0x461 brk+0x21000
                malloc(16) = heap+0x700 size=0x21 brk+0x21000
                malloc(1500) = heap+0x720 size=0x5f1 brk+0x21000
                malloc(16) = heap+0xd10 size=0x21 brk+0x21000
                malloc(1100) = heap+0xd30 size=0x461 brk+0x21000
                malloc(16) = heap+0x1190 size=0x21 brk+0x21000
                malloc(3000) = heap+0x11b0 size=0xbc1 brk+0x21000
                malloc(16) = heap+0x1d70 size=0x21 brk+0x21000
                malloc(1300) = heap+0x1d90 size=0x521 brk+0x21000
                malloc(16) = heap+0x22b0 size=0x21 brk+0x21000
                malloc(1500) = heap+0x22d0 size=0x5f1 brk+0x21000
                malloc(16) = heap+0x28c0 size=0x21 brk+0x21000
                malloc(2500) = heap+0x28e0 size=0x9d1 brk+0x21000
                malloc(16) = heap+0x32b0 size=0x21 brk+0x21000
                malloc(1100) = heap+0x32d0 size=0x461 brk+0x21000
                malloc(16) = heap+0x3730 size=0x21 brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                free -> brk+0x21000
                malloc(4000) = heap+0x3750 size=0xfb1 brk+0x21000
                malloc(1200) = heap+0x1d90 size=0x4c1 brk+0x21000
                malloc(1100) = heap+0x32d0 size=0x461 brk+0x21000
                malloc(1100) = heap+0xd30 size=0x461 brk+0x21000
                malloc(1400) = heap+0x22d0 size=0x581 brk+0x21000
                malloc(2000) = heap+0x28e0 size=0x7e1 brk+0x21000
                mallinfo2 arena=135168 ordblks=7 smblks=0 hblks=0 hblkhd=0 uordblks=11808 fordblks=123360 keepcost=117008
                """, t.out.toString());
    }

    /** a large-bin split leaves a remainder in the unsorted bin that later small requests split (last_remainder). */
    @Test
    void lastRemainder() {
        Tracer t = new Tracer("remainder");
        long a = t.m(3000);
            t.m(16);
            t.f(a);
            t.m(2000);
            t.m(100);
            t.m(100);
            t.m(100);
            t.info();
        assertEquals("""
                scenario remainder
                malloc(3000) = heap+0x2a0 size=0xbc1 brk+0x21000
                malloc(16) = heap+0xe60 size=0x21 brk+0x21000
                free -> brk+0x21000
                malloc(2000) = heap+0x2a0 size=0x7e1 brk+0x21000
                malloc(100) = heap+0xa80 size=0x71 brk+0x21000
                malloc(100) = heap+0xaf0 size=0x71 brk+0x21000
                malloc(100) = heap+0xb60 size=0x71 brk+0x21000
                mallinfo2 arena=135168 ordblks=2 smblks=0 hblks=0 hblkhd=0 uordblks=3040 fordblks=132128 keepcost=131472
                """, t.out.toString());
    }
}
