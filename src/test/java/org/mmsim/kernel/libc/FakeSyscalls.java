package org.mmsim.kernel.libc;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A process's memory system calls for malloc tests: a break that moves between its start and a
 * limit, and anonymous mappings handed out top-down from a cursor (never reused). Either call can
 * be made to refuse, as a kernel out of room would.
 */
final class FakeSyscalls implements MallocSyscalls {
    final long startBrk;
    long brk;
    long brkLimit = Long.MAX_VALUE;
    long mmapCursor;
    boolean refuseSbrk;
    boolean refuseMmap;
    final TreeMap<Long, Long> mappings = new TreeMap<>();
    final List<String> log = new ArrayList<>();

    FakeSyscalls(long startBrk, long mmapTop) {
        this.startBrk = startBrk;
        this.brk = startBrk;
        this.mmapCursor = mmapTop;
    }

    /** An x86_64 process: the break at 0x555555559000, mappings below 0x7ffff7fff000. */
    static FakeSyscalls x8664() {
        return new FakeSyscalls(0x5555_5555_9000L, 0x7fff_f7ff_f000L);
    }

    /** An i386 process: the break at 0x0804c000, mappings below 0xf7fff000. */
    static FakeSyscalls i386() {
        return new FakeSyscalls(0x0804_c000L, 0xf7ff_f000L);
    }

    @Override
    public long sbrk(long increment) {
        log.add("sbrk(" + increment + ")");
        if (increment == 0) {
            return brk;
        }
        long newBrk = brk + increment;
        if ((refuseSbrk && increment > 0) || newBrk < startBrk || newBrk > brkLimit) {
            return -1;
        }
        long old = brk;
        brk = newBrk;
        return old;
    }

    @Override
    public long mmap(long length) {
        log.add("mmap(" + length + ")");
        if (refuseMmap || length <= 0 || length > (1L << 40) || (length & 4095) != 0) {
            return -1;
        }
        mmapCursor -= length;
        mappings.put(mmapCursor, length);
        return mmapCursor;
    }

    @Override
    public int munmap(long address, long length) {
        log.add("munmap(" + Long.toHexString(address) + ", " + length + ")");
        Long len = mappings.get(address);
        if (len == null || len != length) {
            return -1;
        }
        mappings.remove(address);
        return 0;
    }

    /** How far the break moved since the start. */
    long brkGrowth() {
        return brk - startBrk;
    }
}
