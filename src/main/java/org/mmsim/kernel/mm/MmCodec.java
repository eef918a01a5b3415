package org.mmsim.kernel.mm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.phys.PhysicalMemory;

/** An {@link MmStruct} in the snapshot encoding: layout, counters, policies, VMAs in address order, page table. */
public final class MmCodec {

    private MmCodec() {
    }

    public static void write(MmStruct mm, DataOutputStream out) throws IOException {
        out.writeLong(mm.taskSize);
        out.writeLong(mm.taskSizeMax);
        out.writeLong(mm.mmapBase);
        out.writeLong(mm.mmapMinAddr);
        out.writeLong(mm.vmas.stackGuardGap() >>> VmaTree.PAGE_SHIFT);
        long[] counters = mm.savedCounters();
        out.writeInt(counters.length);
        for (long c : counters) {
            out.writeLong(c);
        }
        out.writeInt(mm.policies.size() - 1);
        for (int i = 1; i < mm.policies.size(); i++) {
            PhysicalMemory.writePolicy(out, mm.policies.get(i));
        }
        out.writeInt(mm.vmas.mapCount());
        for (Vma v : mm.vmas) {
            out.writeLong(v.vmStart);
            out.writeLong(v.vmEnd);
            out.writeLong(v.vmFlags);
            out.writeLong(v.vmPgoff);
            out.writeLong(v.anonVma());
            out.writeBoolean(v.anonVmaForked());
            out.writeInt(v.policyId());
            out.writeUTF(v.name());
            out.writeInt(v.vmFile() == null ? 0 : v.vmFile().id());
        }
        out.writeBoolean(mm.pgd != null);
        if (mm.pgd != null) {
            mm.pgd.writeTo(out);
        }
    }

    public static MmStruct read(DataInputStream in, FileTable files, Arch arch, PageTable.TableAllocator allocator)
            throws IOException {
        MmStruct mm = new MmStruct(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        int nc = in.readInt();
        long[] counters = new long[nc];
        for (int i = 0; i < nc; i++) {
            counters[i] = in.readLong();
        }
        mm.restoreCounters(counters);
        int np = in.readInt();
        for (int i = 0; i < np; i++) {
            MemPolicy p = PhysicalMemory.readPolicy(in);
            mm.policies.add(p);
        }
        int nv = in.readInt();
        for (int i = 0; i < nv; i++) {
            Vma v = new Vma(in.readLong(), in.readLong(), in.readLong(), in.readLong());
            v.setAnonVma(in.readLong());
            v.setAnonVmaForked(in.readBoolean());
            v.setPolicyId(in.readInt());
            v.setName(in.readUTF());
            int fileId = in.readInt();
            if (fileId != 0) {
                AddressSpace as = files.byId(fileId);
                if (as == null) {
                    throw new IOException("VMA maps unknown file " + fileId);
                }
                v.setVmFile(as);
            }
            mm.vmas.insert(v);
        }
        if (in.readBoolean()) {
            mm.pgd = PageTable.readFrom(in, arch, allocator);
        }
        return mm;
    }
}
