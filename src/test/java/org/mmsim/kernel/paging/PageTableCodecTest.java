package org.mmsim.kernel.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mmsim.kernel.machine.Arch;

/** A snapshot of mm->pgd's tree restores the same tables in the same frames, byte for byte. */
class PageTableCodecTest {

    private static byte[] encode(PageTable pt) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            pt.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static List<long[]> entries(PageTable pt) {
        List<long[]> all = new ArrayList<>();
        pt.forEachPte(0, Long.MAX_VALUE, (va, e) -> all.add(new long[] {va, e}));
        return all;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void roundTripShouldRestoreAnIdenticalTableWithoutAllocating(Arch arch) throws IOException {
        RecordingTableAllocator allocator = new RecordingTableAllocator();
        PageTable pt = PageTable.create(arch, allocator);
        Random random = new Random(7);
        long top = Geometry.of(arch).top;
        for (int i = 0; i < 2000; i++) {
            long va = (long) (random.nextDouble() * (random.nextBoolean() ? top : 1L << 26)) & -Arch.PAGE_SIZE;
            pt.set(va, Pte.mk(random.nextInt(1 << 20), Pte.protToPte(true, random.nextBoolean(), false, arch)));
        }
        pt.clear(entries(pt).get(0)[0]);
        pt.freePgdRange(0, 1L << 22, 0, 1L << 22);   // leaves some empty tables, frees none or some
        byte[] first = encode(pt);

        RecordingTableAllocator restored = new RecordingTableAllocator().failAfter(0);
        PageTable copy = PageTable.readFrom(new DataInputStream(new ByteArrayInputStream(first)), arch, restored);

        assertThat(restored.allocations).isZero();
        copy.checkInvariants();
        assertThat(encode(copy)).isEqualTo(first);
        assertThat(copy.tablePages()).isEqualTo(pt.tablePages());
        assertThat(copy.pgtablesBytes()).isEqualTo(pt.pgtablesBytes());
        assertThat(copy.nrTablePages()).isEqualTo(pt.nrTablePages());
        assertThat(copy.cr3()).isEqualTo(pt.cr3());
        assertThat(entries(copy)).usingRecursiveFieldByFieldElementComparator().isEqualTo(entries(pt));
        long va = entries(pt).get(5)[0];
        assertThat(copy.walk(va)).isEqualTo(pt.walk(va));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void snapshotForAnotherArchShouldBeRejected(Arch arch) throws IOException {
        PageTable pt = PageTable.create(arch, new RecordingTableAllocator());
        byte[] bytes = encode(pt);
        Arch other = arch == Arch.I386 ? Arch.X86_64 : Arch.I386;
        assertThatThrownBy(() -> PageTable.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), other,
                new RecordingTableAllocator())).isInstanceOf(IOException.class);
    }
}
