package org.mmsim.kernel.paging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmsim.kernel.machine.Arch;

/** Swap entries in PTEs: {@code __swp_entry}/{@code __swp_type}/{@code __swp_offset} of pgtable_64.h and pgtable-2level.h. */
class PteSwapEntryTest {

    @Test
    void x86_64SwapEntryShouldStoreTheOffsetInvertedInBits9To58AndTheTypeInTheTop5Bits() {
        // L1TF mitigation: ~offset << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS | type << 59
        assertThat(Pte.swpEntry(0, 1, Arch.X86_64)).isEqualTo(0x07fffffffffffc00L);
        assertThat(Pte.swpEntry(1, 1, Arch.X86_64)).isEqualTo(0x0ffffffffffffc00L);
        assertThat(Pte.swpEntry(0, 0x1234, Arch.X86_64)).isEqualTo(0x07ffffffffdb9600L);
    }

    @Test
    void x86_64SwapEntryShouldRoundTripAndNeverLookPresentOrProtNone() {
        for (int type = 0; type < 32; type += 7) {
            for (long offset : new long[] {1, 2, 255, 256, 16383, 1L << 40, (1L << 49) + 5}) {
                long e = Pte.swpEntry(type, offset, Arch.X86_64);
                assertThat(Pte.swpType(e, Arch.X86_64)).isEqualTo(type);
                assertThat(Pte.swpOffset(e, Arch.X86_64)).isEqualTo(offset);
                assertThat(Pte.present(e)).isFalse();
                assertThat(Pte.protnone(e)).isFalse();
                assertThat(Pte.isSwap(e)).isTrue();
            }
        }
    }

    @Test
    void i386SwapEntryShouldPutTheTypeInBits1To5AndTheOffsetFromBit9() {
        long e = Pte.swpEntry(3, 0x1234, Arch.I386);
        assertThat(e).isEqualTo((3L << 1) | (0x1234L << 9));
        assertThat(Pte.swpType(e, Arch.I386)).isEqualTo(3);
        assertThat(Pte.swpOffset(e, Arch.I386)).isEqualTo(0x1234);
        assertThat(Pte.present(e)).isFalse();
        assertThat(e).isLessThan(1L << 32);
    }

    @Test
    void isSwapPteShouldBeFalseForNoneAndPresentEntries() {
        assertThat(Pte.isSwap(0)).isFalse();
        assertThat(Pte.isSwap(Pte.mk(0x10, Pte.PAGE_READONLY))).isFalse();
        assertThat(Pte.isSwap(Pte.mk(0x10, Pte.PAGE_NONE))).isFalse();
    }
}
