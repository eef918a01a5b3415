package org.mmsim.kernel.tlb;

import org.mmsim.kernel.KernelInputException;

/**
 * The TLB every CPU of a machine has: how many entries, how many ways per set, and whether the
 * kernel tags entries with a PCID ({@code X86_FEATURE_PCID}, CR4.PCIDE) or flushes them on every
 * context switch.
 *
 * <p>The default, 64 entries in 16 sets of 4 ways, is a typical x86 L1 data TLB for 4 KiB pages
 * (Intel Skylake … Golden Cove, AMD Zen). {@code ways == entries} is a fully associative TLB.
 * PCID needs long mode, so i386 machines never have it.
 *
 * @param entries translations per CPU, a power of two 1..4096
 * @param ways    entries per set, a power of two that divides {@code entries}
 * @param pcid    entries tagged with a PCID (kept across context switches) instead of flushed
 */
public record TlbConfig(int entries, int ways, boolean pcid) {

    /** Entries of the default TLB. */
    public static final int DEFAULT_ENTRIES = 64;
    /** Ways of the default TLB. */
    public static final int DEFAULT_WAYS = 4;
    /** The most entries a simulated TLB may have. */
    public static final int MAX_ENTRIES = 4096;

    /** The default TLB of a machine: 64 entries, 4 ways, PCID on a 64-bit machine. */
    public static TlbConfig defaults(boolean is64Bit) {
        return new TlbConfig(DEFAULT_ENTRIES, DEFAULT_WAYS, is64Bit);
    }

    public int nrSets() {
        return entries / ways;
    }

    /** Checks the config, naming the bad field ({@code "tlb.entries"}); {@code is64Bit} decides whether PCID exists. */
    public TlbConfig validate(boolean is64Bit) {
        if (entries < 1 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1) {
            throw new KernelInputException("tlb.entries", "tlb.entries must be a power of two between 1 and "
                    + MAX_ENTRIES + ", got " + entries);
        }
        if (ways < 1 || ways > entries || Integer.bitCount(ways) != 1) {
            throw new KernelInputException("tlb.ways", "tlb.ways must be a power of two between 1 and tlb.entries ("
                    + entries + "), got " + ways);
        }
        if (pcid && !is64Bit) {
            throw new KernelInputException("tlb.pcid", "PCID exists only in long mode (x86_64): i386 has none");
        }
        return this;
    }
}
