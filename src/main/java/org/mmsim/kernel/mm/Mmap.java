package org.mmsim.kernel.mm;

import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * mmap(2), munmap(2) and brk(2): {@code do_mmap()}, {@code mmap_region()},
 * {@code do_vmi_munmap()}, {@code SYSCALL_DEFINE1(brk)} and {@code do_brk_flags()} of
 * mm/mmap.c and mm/vma.c (6.12), for anonymous memory and the program image.
 *
 * <p>Sections: (1) mmap, (2) inserting a range with the merge rules, (3) munmap, (4) brk.
 * Errno outcomes are values ({@link Result}); a caller error is a
 * {@link org.mmsim.kernel.KernelInputException} thrown before anything changes.
 */
public final class Mmap {
    public static final long PAGE_SIZE = VmaTree.PAGE_SIZE;
    public static final long PAGE_MASK = ~(PAGE_SIZE - 1);
    /** {@code PMD_SIZE}: anonymous mappings of a multiple of it are THP aligned (LINUX.md §3.4). */
    static final long PMD_SIZE = 2L << 20;
    /** {@code VM_DATA_DEFAULT_FLAGS} on x86 (no READ_IMPLIES_EXEC): rd wr mr mw me. */
    public static final long VM_DATA_DEFAULT_FLAGS = VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_MAYREAD
            | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC;
    /** {@code OVERCOMMIT_NEVER} ({@code vm.overcommit_memory = 2}). */
    static final int OVERCOMMIT_NEVER = Overcommit.OVERCOMMIT_NEVER;

    /** What the system call returned: an address (or the new break), or an errno name. */
    public record Result(long address, String error) {
        static Result ok(long address) {
            return new Result(address, null);
        }

        static Result errno(String error) {
            return new Result(-1, error);
        }

        public boolean failed() {
            return error != null;
        }
    }

    private Mmap() {
    }

    // ------------------------------------------------------------------ (1) mmap

    /**
     * {@code do_mmap()} for {@code MAP_ANONYMOUS}: rounds, places ({@code __get_unmapped_area},
     * with THP alignment for 2 MiB multiples on 64-bit), computes {@code vm_flags}, then
     * {@code mmap_region()}. {@code MAP_POPULATE} is the caller's: see {@link #populateLength}.
     */
    public static Result doMmap(MmStruct mm, MmContext ctx, long addr, long len, int prot, int flags,
                                boolean is64Bit, int overcommitMemory) {
        if (len == 0) {
            return Result.errno("EINVAL");
        }
        int type = flags & (MmapFlags.MAP_SHARED | MmapFlags.MAP_PRIVATE);
        if (type != MmapFlags.MAP_SHARED && type != MmapFlags.MAP_PRIVATE) {
            return Result.errno("EINVAL");
        }
        if (len < 0 || len > mm.taskSizeMax - PAGE_SIZE) {
            return Result.errno("ENOMEM");
        }
        len = (len + PAGE_SIZE - 1) & PAGE_MASK;
        if (mm.vmas.mapCount() > mm.maxMapCount) {
            return Result.errno("ENOMEM");
        }
        long mmapEnd = addr + len > mm.taskSize && mm.taskSizeMax > mm.taskSize ? mm.taskSizeMax : mm.taskSize;
        boolean fixed = (flags & (MmapFlags.MAP_FIXED | MmapFlags.MAP_FIXED_NOREPLACE)) != 0;
        // round_hint_to_min() turns a hint within page 0 into NULL: no hint
        boolean thp = is64Bit && !fixed && (addr & PAGE_MASK) == 0 && type == MmapFlags.MAP_PRIVATE
                && len % PMD_SIZE == 0;
        UnmappedArea area = thp
                ? thpGetUnmappedArea(mm, len, flags, mmapEnd)
                : mm.vmas.getUnmappedArea(addr, len, flags, mm.mmapBase, mm.mmapMinAddr, mmapEnd);
        if (!area.ok()) {
            return Result.errno(area.errno());
        }
        addr = area.address();
        long vmFlags = Prot.calcVmProtBits(prot) | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC;
        if ((flags & MmapFlags.MAP_GROWSDOWN) != 0) {
            vmFlags |= VmFlags.VM_GROWSDOWN;
        }
        long pgoff;
        if (type == MmapFlags.MAP_SHARED) {
            if ((vmFlags & VmFlags.VM_GROWSDOWN) != 0) {
                return Result.errno("EINVAL");
            }
            pgoff = 0;
            vmFlags |= VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE;
        } else {
            pgoff = addr >>> VmaTree.PAGE_SHIFT;
        }
        if ((flags & MmapFlags.MAP_NORESERVE) != 0 && overcommitMemory != OVERCOMMIT_NEVER) {
            vmFlags |= VmFlags.VM_NORESERVE;
        }
        return mmapRegion(mm, ctx, addr, len, vmFlags, pgoff, null);
    }

    /** {@code __thp_get_unmapped_area()}: ask for {@code len + PMD_SIZE}, then align inside it (top-down). */
    private static UnmappedArea thpGetUnmappedArea(MmStruct mm, long len, int flags, long mmapEnd) {
        UnmappedArea padded = mm.vmas.getUnmappedArea(0, len + PMD_SIZE, flags, mm.mmapBase, mm.mmapMinAddr, mmapEnd);
        if (!padded.ok()) {
            return mm.vmas.getUnmappedArea(0, len, flags, mm.mmapBase, mm.mmapMinAddr, mmapEnd);
        }
        long ret = padded.address();
        long offSub = (-ret) & (PMD_SIZE - 1);
        return UnmappedArea.at(offSub == 0 ? ret + PMD_SIZE : ret + offSub);
    }

    /** How many bytes {@code do_mmap} asks {@code mm_populate()} to fault in (MAP_POPULATE without MAP_NONBLOCK). */
    public static long populateLength(int flags, long len) {
        return (flags & MmapFlags.MAP_POPULATE) != 0 ? (len + PAGE_SIZE - 1) & PAGE_MASK : 0;
    }

    /**
     * {@code mmap_region()}: unmaps what MAP_FIXED covers, charges a private writable mapping
     * ({@code accountable_mapping} → {@code VM_ACCOUNT}, less what a MAP_FIXED replacement already
     * charged; refused with ENOMEM by {@link Overcommit#vmEnoughMemory}), merges with a neighbour or inserts a new VMA, and accounts it.
     * {@code file} is the image for the program's own segments, else null.
     */
    public static Result mmapRegion(MmStruct mm, MmContext ctx, long addr, long len, long vmFlags, long pgoff,
                                    AddressSpace file) {
        long nrPages = len >>> VmaTree.PAGE_SHIFT;
        boolean accountable =
                (vmFlags & (VmFlags.VM_NORESERVE | VmFlags.VM_SHARED | VmFlags.VM_WRITE)) == VmFlags.VM_WRITE;
        if (accountable) {
            long charged = nrPages - accountedPagesIn(mm, addr, addr + len);
            if (charged != 0 && !vmEnoughMemory(ctx, mm, charged)) {
                return Result.errno("ENOMEM");
            }
            vmFlags |= VmFlags.VM_ACCOUNT;
        }
        if (mm.vmas.findVmaIntersection(addr, addr + len) != null) {
            Result r = doVmiMunmap(mm, ctx, addr, len);
            if (r.failed()) {
                return r;
            }
        }
        if (accountable) {
            mm.committedPages += nrPages;
        }
        AddressSpace mapping = file;
        if (file == null && (vmFlags & VmFlags.VM_SHARED) != 0) {
            mapping = ctx.files().newShmem(nrPages);
        }
        insertRange(mm, addr, addr + len, vmFlags, pgoff, mapping, Vma.DEFAULT_POLICY, Vma.NO_ANON_VMA);
        mm.vmStatAccount(vmFlags, nrPages);
        return Result.ok(addr);
    }

    /** {@code security_vm_enough_memory_mm()}: {@link Overcommit#vmEnoughMemory} under the machine's mode. */
    static boolean vmEnoughMemory(MmContext ctx, MmStruct mm, long pages) {
        return ctx.overcommit().vmEnoughMemory(mm, pages);
    }

    private static long accountedPagesIn(MmStruct mm, long start, long end) {
        long pages = 0;
        for (Vma v = mm.vmas.findVmaIntersection(start, end); v != null && v.vmStart < end; v = v.vmNext) {
            if ((v.vmFlags & VmFlags.VM_ACCOUNT) != 0) {
                pages += (Math.min(end, v.vmEnd) - Math.max(start, v.vmStart)) >>> VmaTree.PAGE_SHIFT;
            }
        }
        return pages;
    }

    // ------------------------------------------------------------------ (2) insert with merge

    /**
     * {@code vma_merge_new_range()} then {@code __mmap_region}'s new VMA: {@code [start, end)} is
     * free; it joins {@code prev} (ending at {@code start}) and/or {@code next} (starting at
     * {@code end}) when the merge rules allow, else becomes a VMA of its own. Answers the VMA
     * that now covers the range.
     */
    static Vma insertRange(MmStruct mm, long start, long end, long vmFlags, long pgoff, AddressSpace file,
                           int policyId, long anonVma) {
        Vma next = mm.vmas.findVma(start);
        Vma prev = next != null ? next.vmPrev : mm.vmas.last();
        long nrPages = (end - start) >>> VmaTree.PAGE_SHIFT;
        boolean left = prev != null && prev.vmEnd == start
                && VmaMerge.canMergeAfter(prev, vmFlags, file, policyId, "", anonVma, false, pgoff);
        boolean right = next != null && next.vmStart == end
                && VmaMerge.canMergeBefore(next, vmFlags, file, policyId, "", anonVma, false, pgoff, nrPages)
                && (!left || VmaMerge.isMergeableAnonVma(prev.anonVma(), prev.anonVmaForked(), next.anonVma(),
                        next.anonVmaForked()));
        if (left && right) {
            long nextEnd = next.vmEnd;
            boolean fromPrev = prev.anonVma() != Vma.NO_ANON_VMA;
            long av = fromPrev ? prev.anonVma() : next.anonVma();
            boolean forked = fromPrev ? prev.anonVmaForked() : next.anonVmaForked();
            removeVma(mm, next, null);
            mm.vmas.vmaAdjust(prev, prev.vmStart, nextEnd, prev.vmPgoff);
            prev.setAnonVma(av);
            prev.setAnonVmaForked(forked);
            return prev;
        }
        if (left) {
            mm.vmas.vmaAdjust(prev, prev.vmStart, end, prev.vmPgoff);
            if (prev.anonVma() == Vma.NO_ANON_VMA) {
                prev.setAnonVma(anonVma);
            }
            return prev;
        }
        if (right) {
            mm.vmas.vmaAdjust(next, start, next.vmEnd, pgoff);
            if (next.anonVma() == Vma.NO_ANON_VMA) {
                next.setAnonVma(anonVma);
            }
            return next;
        }
        Vma vma = new Vma(start, end, vmFlags, pgoff);
        vma.setVmFile(file);
        FileTable.get(file);
        vma.setPolicyId(policyId);
        vma.setAnonVma(anonVma);
        mm.vmas.insert(vma);
        return vma;
    }

    /** Unlinks a VMA merged into a neighbour or unmapped, dropping its file reference. */
    static void removeVma(MmStruct mm, Vma vma, MmContext ctx) {
        mm.vmas.erase(vma);
        if (ctx != null) {
            ctx.files().put(vma.vmFile(), ctx.phys());
        } else if (vma.vmFile() != null) {
            vma.vmFile().mappers--;
        }
    }

    // ------------------------------------------------------------------ (3) munmap

    /**
     * {@code do_vmi_munmap()}: EINVAL for an unaligned start, a zero length or a range beyond
     * {@code TASK_SIZE}; nothing mapped is success. VMAs straddling the ends are split (ENOMEM
     * when a middle split would pass {@code max_map_count}), their pages zapped, the emptied page
     * tables freed between the neighbours, and the accounting undone.
     */
    public static Result doVmiMunmap(MmStruct mm, MmContext ctx, long start, long len) {
        if ((start & ~PAGE_MASK) != 0 || start < 0 || start > mm.taskSizeMax || len <= 0
                || len > mm.taskSizeMax - start) {
            return Result.errno("EINVAL");
        }
        long end = start + ((len + PAGE_SIZE - 1) & PAGE_MASK);
        Vma vma = mm.vmas.findVmaIntersection(start, end);
        if (vma == null) {
            return Result.ok(0);
        }
        if (vma.vmStart < start && end < vma.vmEnd && mm.vmas.mapCount() >= mm.maxMapCount) {
            return Result.errno("ENOMEM");
        }
        if (vma.vmStart < start) {
            vma = VmaMerge.splitVma(mm, vma, start);
        }
        Vma last = mm.vmas.findVmaIntersection(end - PAGE_SIZE, end);
        if (last != null && last.vmEnd > end) {
            VmaMerge.splitVma(mm, last, end);
        }
        Vma prev = vma.vmPrev;
        long floor = prev != null ? prev.vmEnd : 0;
        long firstStart = vma.vmStart;
        long lastEnd = firstStart;
        Vma v = vma;
        while (v != null && v.vmStart < end) {
            Vma following = v.vmNext;
            Memory.zapPageRange(mm, ctx.phys(), v.vmStart, v.vmEnd);
            long pages = v.nrPages();
            if ((v.vmFlags & VmFlags.VM_ACCOUNT) != 0) {
                mm.committedPages -= pages;
            }
            mm.vmStatAccount(v.vmFlags, -pages);
            lastEnd = v.vmEnd;
            removeVma(mm, v, ctx);
            v = following;
        }
        long ceiling = v != null ? v.vmStart : 0;
        Memory.freePgtables(mm, firstStart, lastEnd, floor, ceiling);
        return Result.ok(0);
    }

    // ------------------------------------------------------------------ (4) brk

    /**
     * {@code SYSCALL_DEFINE1(brk)}: answers the new break, or the old one when the request is
     * refused (below {@code start_brk}, colliding with the next mapping's guard gap, shrinking
     * where no VMA is left between the two breaks, or out of memory). Within one page only {@code mm->brk} moves; shrinking unmaps
     * {@code [PAGE_ALIGN(new), PAGE_ALIGN(old))}; growing extends the heap VMA or creates it
     * ({@code do_brk_flags}).
     */
    public static long brk(MmStruct mm, MmContext ctx, long newBrk) {
        long origBrk = mm.brk;
        if (newBrk < mm.startBrk || newBrk > mm.taskSize) {
            return origBrk;
        }
        long newAligned = (newBrk + PAGE_SIZE - 1) & PAGE_MASK;
        long oldAligned = (mm.brk + PAGE_SIZE - 1) & PAGE_MASK;
        if (newAligned == oldAligned) {
            mm.brk = newBrk;
            return newBrk;
        }
        if (newBrk <= mm.brk) {
            // "mapping intersects with an existing non-brk vma": nothing of the heap left to unmap
            Vma brkVma = mm.vmas.findVmaIntersection(newAligned, oldAligned);
            if (brkVma == null) {
                return origBrk;
            }
            mm.brk = newBrk;
            Result r = doVmiMunmap(mm, ctx, newAligned, oldAligned - newAligned);
            if (r.failed()) {
                mm.brk = origBrk;
                return origBrk;
            }
            return newBrk;
        }
        Vma next = mm.vmas.findVma(oldAligned);
        if (next != null && newAligned + PAGE_SIZE > mm.vmas.vmStartGap(next)) {
            return origBrk;
        }
        if (!doBrkFlags(mm, ctx, oldAligned, newAligned - oldAligned)) {
            return origBrk;
        }
        mm.brk = newBrk;
        return newBrk;
    }

    /**
     * {@code do_brk_flags()}: an anonymous {@code rd wr mr mw me ac} range at {@code addr}. It
     * extends the VMA ending there if that VMA lies at or above {@code start_brk}
     * ({@code vma_prev_limit}), has no policy and can merge; otherwise it is a new VMA.
     */
    static boolean doBrkFlags(MmStruct mm, MmContext ctx, long addr, long len) {
        long flags = VM_DATA_DEFAULT_FLAGS | VmFlags.VM_ACCOUNT;
        long nrPages = len >>> VmaTree.PAGE_SHIFT;
        if (mm.vmas.mapCount() > mm.maxMapCount || !vmEnoughMemory(ctx, mm, nrPages)) {
            return false;
        }
        Vma prev = mm.vmas.findVmaPrev(addr);
        if (prev != null && prev.vmEnd == addr && prev.vmStart >= mm.startBrk && prev.policyId() == Vma.DEFAULT_POLICY
                && VmaMerge.canMergeAfter(prev, flags, null, Vma.DEFAULT_POLICY, "", Vma.NO_ANON_VMA, false,
                        addr >>> VmaTree.PAGE_SHIFT)) {
            mm.vmas.vmaAdjust(prev, prev.vmStart, addr + len, prev.vmPgoff);
        } else {
            Vma vma = new Vma(addr, addr + len, flags, addr >>> VmaTree.PAGE_SHIFT);
            mm.vmas.insert(vma);
        }
        mm.committedPages += nrPages;
        mm.vmStatAccount(flags, nrPages);
        return true;
    }

    /** {@code VM_STACK_FLAGS}: {@code VM_STACK | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT} — rd wr mr mw me gd ac. */
    public static final long VM_STACK_FLAGS = VmFlags.VM_STACK | VM_DATA_DEFAULT_FLAGS | VmFlags.VM_ACCOUNT;

    /**
     * {@code setup_arg_pages()}, fs/exec.c: the initial {@code [stack]} VMA {@code [start, end)},
     * charged as {@code insert_vm_struct()} charges a {@code VM_ACCOUNT} VMA; false (nothing
     * inserted) when the overcommit policy refuses it.
     */
    public static boolean setupStack(MmStruct mm, MmContext ctx, long start, long end) {
        long nrPages = (end - start) >>> VmaTree.PAGE_SHIFT;
        if (!vmEnoughMemory(ctx, mm, nrPages)) {
            return false;
        }
        mm.vmas.insert(new Vma(start, end, VM_STACK_FLAGS, start >>> VmaTree.PAGE_SHIFT));
        mm.committedPages += nrPages;
        mm.vmStatAccount(VM_STACK_FLAGS, nrPages);
        return true;
    }

    /**
     * {@code exit_mmap()}, mm/mmap.c: unmaps every VMA, frees every page-table page including
     * the pgd, and drops the files; the mm is empty afterwards.
     */
    public static void exitMmap(MmStruct mm, MmContext ctx) {
        Vma first = mm.vmas.first();
        long lastEnd = 0;
        for (Vma v = first; v != null; v = v.vmNext) {
            Memory.zapPteRange(mm, ctx.phys(), v.vmStart, v.vmEnd);
            lastEnd = v.vmEnd;
        }
        mm.flushTlbMm();
        if (mm.tlbs != null && mm.pgd != null) {
            mm.tlbs.forgetMm(mm.pgd.pgdPfn());
        }
        if (first != null) {
            Memory.freePgtables(mm, first.vmStart, lastEnd, 0, 0);
        }
        for (Vma v = mm.vmas.first(); v != null; v = mm.vmas.first()) {
            if ((v.vmFlags & VmFlags.VM_ACCOUNT) != 0) {
                mm.committedPages -= v.nrPages();
            }
            mm.vmStatAccount(v.vmFlags, -v.nrPages());
            removeVma(mm, v, ctx);
        }
        if (mm.pgd != null) {
            mm.pgd.destroy();
            mm.pgd = null;
        }
    }

    /** {@code vm_brk_flags()}: the bss of a program image, an anonymous range below {@code start_brk}. */
    public static boolean vmBrkFlags(MmStruct mm, MmContext ctx, long addr, long len) {
        long flags = VM_DATA_DEFAULT_FLAGS | VmFlags.VM_ACCOUNT;
        long nrPages = len >>> VmaTree.PAGE_SHIFT;
        if (!vmEnoughMemory(ctx, mm, nrPages)) {
            return false;
        }
        mm.vmas.insert(new Vma(addr, addr + len, flags, addr >>> VmaTree.PAGE_SHIFT));
        mm.committedPages += nrPages;
        mm.vmStatAccount(flags, nrPages);
        return true;
    }
}
