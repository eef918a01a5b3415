package org.mmsim.kernel.task;

import java.util.List;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.fault.FaultStats;
import org.mmsim.kernel.fault.Touch;
import org.mmsim.kernel.libc.FreeResult;
import org.mmsim.kernel.libc.Malloc;
import org.mmsim.kernel.libc.MallocResult;
import org.mmsim.kernel.libc.MallocSyscalls;
import org.mmsim.kernel.machine.Arch;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.mm.FileTable;
import org.mmsim.kernel.mm.Fork;
import org.mmsim.kernel.mm.MmContext;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Mmap;
import org.mmsim.kernel.mm.MmapFlags;
import org.mmsim.kernel.mm.Mprotect;
import org.mmsim.kernel.mm.Overcommit;
import org.mmsim.kernel.mm.Prot;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmCounters;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.numa.MemPolicy;
import org.mmsim.kernel.paging.PageTable;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.PageStore;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.tlb.CpuTlbs;
import org.mmsim.kernel.tlb.Tlb;

/**
 * Every process of a machine and what they can do: create (a new program, as
 * {@code fork}+{@code execve} from init would), exit, the memory system calls and accesses.
 * Caller errors (an unknown pid, a dead process, a malformed argument) are
 * {@link KernelInputException}s thrown before anything changes; what the kernel would answer
 * (an errno, a signal) is a result.
 */
public final class Processes {
    /** {@code mmap_min_addr}'s Kconfig default. */
    public static final long MMAP_MIN_ADDR = 4096;
    /** The largest range one touch may cover: 64 GiB, 16 M pages. */
    public static final long MAX_TOUCH_BYTES = 1L << 36;
    /** {@code TASK_COMM_LEN − 1}. */
    static final int MAX_COMM = 15;
    /** {@code GFP_PGTABLE_USER}: {@code GFP_KERNEL | __GFP_ZERO | __GFP_ACCOUNT}. */
    static final int GFP_PGTABLE_USER = Gfp.GFP_KERNEL | Gfp.__GFP_ZERO | Gfp.__GFP_ACCOUNT;

    final PhysicalMemory phys;
    final MachineConfig config;
    final TaskTable tasks = new TaskTable();
    final FileTable files = new FileTable();
    final VmCounters events = new VmCounters();
    final OomKiller oomKiller = new OomKiller(this);
    Overcommit overcommit;
    /** {@code NR_FREE_PAGES} when the machine booted: what the overcommit reserves were computed from. */
    long freePagesAtBoot;
    /** Every CPU's TLB; replaced once when a snapshot with a TLB section is restored. */
    CpuTlbs tlbs;

    public Processes(PhysicalMemory phys, MachineConfig config) {
        this.phys = phys;
        this.config = config;
        restoreFreePagesAtBoot(phys.nrFreePages());
        this.tlbs = new CpuTlbs(config.tlb(), config.totalCpus());
    }

    /** Recomputes the boot-time overcommit reserves from {@code freePages} (a snapshot's saved value). */
    void restoreFreePagesAtBoot(long freePages) {
        this.freePagesAtBoot = freePages;
        this.overcommit = new Overcommit(phys, freePages, this::committedAsPages);
    }

    /** The OOM killer: badness, {@code oom_score}, the {@code oom_kill} count. */
    public OomKiller oomKiller() {
        return oomKiller;
    }

    /** Overcommit accounting ({@code vm.overcommit_memory}, CommitLimit, the reserves). */
    public Overcommit overcommit() {
        return overcommit;
    }

    /**
     * {@code vm_committed_as}: every live mm's charge, plus {@code pending} when no task holds it
     * yet (an mm being built by fork or exec).
     */
    private long committedAsPages(MmStruct pending) {
        long sum = 0;
        boolean held = false;
        for (Task t : tasks.all()) {
            if (t.mm != null) {
                sum += t.mm.committedPages();
                held |= t.mm == pending;
            }
        }
        return pending != null && !held ? sum + pending.committedPages() : sum;
    }

    /** The TLBs of the machine's CPUs. */
    public CpuTlbs tlbs() {
        return tlbs;
    }

    /** Installs restored TLBs (a snapshot's, or a fresh boot state for an older snapshot) and gives every mm them. */
    public void restoreTlbs(CpuTlbs restored) {
        this.tlbs = restored;
        for (Task t : tasks.all()) {
            if (t.mm != null) {
                t.mm.setTlbs(restored);
            }
        }
    }

    /** {@code t} runs on its CPU for a system call: {@code switch_mm} to its mm if another one was loaded there. */
    private Tlb run(Task t) {
        return run(t, t.cpu);
    }

    private Tlb run(Task t, int cpu) {
        return tlbs.run(cpu, t.mm == null ? Tlb.NO_MM : t.mm.tlbTag());
    }

    public TaskTable tasks() {
        return tasks;
    }

    public FileTable files() {
        return files;
    }

    public VmCounters events() {
        return events;
    }

    public Arch arch() {
        return config.arch();
    }

    /** What a system call of {@code t} runs with. */
    public MmContext ctx(Task t) {
        return new MmContext(phys, t.numa, t.cpu, files, events, overcommit);
    }

    /** {@code GFP_PGTABLE_USER} frames for a task's page tables, under its policy. */
    PageTable.TableAllocator tableAllocator(Task t) {
        return new PageTable.TableAllocator() {
            @Override
            public long allocTablePage() {
                return phys.allocPagesMpol(0, GFP_PGTABLE_USER, null, MemPolicy.NO_INTERLEAVE_INDEX, t.cpu, t.numa,
                        PageStore.OWNER_PGTABLE);
            }

            @Override
            public void freeTablePage(long pfn) {
                phys.putPage(pfn);
            }

            @Override
            public long[] leafEntries(int ptrs) {
                if (leafPoolSize > 0 && leafPool[leafPoolSize - 1].length == ptrs) {
                    long[] a = leafPool[--leafPoolSize];
                    leafPool[leafPoolSize] = null;
                    return a;
                }
                return new long[ptrs];
            }

            @Override
            public void recycleLeafEntries(long[] entries) {
                if (leafPoolSize < leafPool.length) {
                    leafPool[leafPoolSize++] = entries;
                }
            }
        };
    }

    /**
     * Entries arrays of freed leaf tables (all zero), reused last-in first-out for new ones: a
     * fork after an exit gets arrays still in the host's cache instead of fresh ones to zero. At
     * most {@code LEAF_POOL_MAX} (2 MiB on x86_64) are kept; not machine state (never snapshotted).
     */
    private final long[][] leafPool = new long[LEAF_POOL_MAX][];
    private int leafPoolSize;
    private static final int LEAF_POOL_MAX = 512;

    // ------------------------------------------------------------------ create and exit

    /** A new process, or the errno that prevented it. */
    public record Created(Task task, String error) {
    }

    /**
     * A new process running {@code image}, a child of init: {@code load_elf_binary()} maps the
     * text and data from the image file, the bss as anonymous memory, sets {@code start_brk}
     * after it (no {@code [heap]} until the break moves) and sets up the 132 KiB
     * {@code [stack]} whose top page holds the arguments (written, so resident).
     */
    public Created createProcess(String name, int cpu, Image image, MemPolicy policy) {
        validateComm(name);
        if (cpu < 0 || cpu >= phys.config().totalCpus()) {
            throw new KernelInputException("cpu", "cpu " + cpu + " does not exist: the machine has "
                    + phys.config().totalCpus() + " CPUs");
        }
        Image img = image == null ? Image.DEFAULT : image;
        MemPolicy valid = policy == null ? null : policy.validate(phys.nrNodes());
        Task t = tasks.add(TaskTable.INIT_PID, name, cpu, img);
        t.numa.setMempolicy(valid);
        MmStruct mm = loadBinary(t, name, img);
        if (mm == null) {
            tasks.remove(t.pid);
            return new Created(null, "ENOMEM");
        }
        t.mm = mm;
        t.malloc = new Malloc(config.arch().is64Bit() ? 8 : 4);
        return new Created(t, null);
    }

    /**
     * {@code load_elf_binary()} for {@code t}: a new mm with the program's text and data mapped
     * from its image file, the bss as anonymous memory, {@code start_brk} after it and the
     * {@code [stack]} with its argument page written. Answers null (nothing left allocated) when
     * memory runs out.
     */
    private MmStruct loadBinary(Task t, String name, Image img) {
        Layout l = Layout.of(config.arch(), config.aslr(), config.seed(), t.pid);
        MmStruct mm = new MmStruct(l.taskSize(), l.taskSizeMax(), l.mmapBase(), MMAP_MIN_ADDR, 256);
        PageTable pgd = PageTable.create(config.arch(), tableAllocator(t));
        if (pgd == null) {
            return null;
        }
        mm.setPgd(pgd);
        mm.setTlbs(tlbs);
        MmContext ctx = ctx(t);
        long stackTop = l.stackTop() & ~(Arch.PAGE_SIZE - 1);
        boolean ok = Mmap.setupStack(mm, ctx, stackTop - 0x21000, stackTop);
        long textLen = pageAlign(img.textBytes());
        long dataLen = pageAlign(img.dataBytes());
        long base = l.loadBase();
        var file = files.image(name, (textLen + dataLen) >>> Arch.PAGE_SHIFT);
        long mayAll = VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC;
        ok = ok && !Mmap.mmapRegion(mm, ctx, base, textLen, VmFlags.VM_READ | VmFlags.VM_EXEC | mayAll, 0, file).failed();
        long dataStart = base + textLen;
        if (ok && dataLen > 0) {
            ok = !Mmap.mmapRegion(mm, ctx, dataStart, dataLen, VmFlags.VM_READ | VmFlags.VM_WRITE | mayAll,
                    textLen >>> Arch.PAGE_SHIFT, file).failed();
        }
        long bssStart = dataStart + dataLen;
        long bssEnd = pageAlign(dataStart + img.dataBytes() + img.bssBytes());
        if (ok && bssEnd > bssStart) {
            ok = Mmap.vmBrkFlags(mm, ctx, bssStart, bssEnd - bssStart);
        }
        mm.setLayout(base, base + img.textBytes(), dataStart, dataStart + img.dataBytes(), bssEnd + l.brkOffset(),
                stackTop - 0x100);
        if (ok) {
            FaultStats st = new FaultStats();
            Touch.touch(mm, ctx, stackTop - Arch.PAGE_SIZE, Arch.PAGE_SIZE, Touch.Access.WRITE, st);
            t.minFlt += st.minor;
            ok = st.signal == null;
        }
        if (!ok) {
            Mmap.exitMmap(mm, ctx);
            return null;
        }
        return mm;
    }

    /**
     * execve(2): the process keeps its pid and parent and gets a fresh mm running {@code image}
     * (the new mm is built first, so an ENOMEM leaves the old one in place, as before the
     * kernel's point of no return); its C library starts over.
     */
    public String exec(Task t, String name, Image image) {
        String comm = name == null ? t.comm : name;
        validateComm(comm);
        Image img = image == null ? t.image : image;
        run(t);
        MmStruct mm = loadBinary(t, comm, img);
        if (mm == null) {
            return "ENOMEM";
        }
        Mmap.exitMmap(t.mm, ctx(t));
        t.mm = mm;
        t.comm = comm;
        t.image = img;
        t.malloc = new Malloc(config.arch().is64Bit() ? 8 : 4);
        return null;
    }

    /**
     * fork(2): a child with a copy of the parent's address space ({@code dup_mmap}: private
     * writable pages shared copy-on-write, shared memory shared), its policy, and its C library
     * state; it stays a zombie after exit until the parent waits. ENOMEM leaves nothing behind.
     */
    public Created fork(Task parent) {
        Task c = tasks.add(parent.pid, parent.comm, parent.cpu, parent.image);
        c.oomScoreAdj = parent.oomScoreAdj;
        c.numa.restore(parent.numa.mempolicy(), parent.numa.ilPrev(), parent.numa.ilWeight());
        MmStruct old = parent.mm;
        MmStruct mm = new MmStruct(old.taskSize(), old.taskSizeMax(), old.mmapBase(), old.mmapMinAddr(),
                old.vmas().stackGuardGap() >>> Arch.PAGE_SHIFT);
        PageTable pgd = PageTable.create(config.arch(), tableAllocator(c));
        if (pgd == null) {
            tasks.remove(c.pid);
            return new Created(null, "ENOMEM");
        }
        mm.setPgd(pgd);
        mm.setTlbs(tlbs);
        run(parent);
        // simplification: dup_mmap's table allocations do not enter direct reclaim, so no page
        // changes under the copy (kswapd still runs when the fork returns)
        phys.noReclaimSave();
        boolean copied;
        try {
            copied = Fork.dupMmap(mm, old, ctx(c));
        } finally {
            phys.noReclaimRestore();
        }
        if (!copied) {
            Mmap.exitMmap(mm, ctx(c));
            tasks.remove(c.pid);
            return new Created(null, "ENOMEM");
        }
        c.mm = mm;
        c.malloc = parent.malloc == null ? null : parent.malloc.copy();
        return new Created(c, null);
    }

    private static void validateComm(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_COMM || !name.matches("[A-Za-z0-9._+-]+")) {
            throw new KernelInputException("name", "a process name is 1.." + MAX_COMM
                    + " characters of letters, digits, '.', '_', '+' or '-'");
        }
    }

    static long pageAlign(long bytes) {
        return (bytes + Arch.PAGE_SIZE - 1) & ~(Arch.PAGE_SIZE - 1);
    }

    /**
     * {@code do_exit()}: the mm is torn down ({@code exit_mmap}), the children go to init (which
     * reaps the zombies among them), and the process becomes a zombie until its parent waits —
     * unless its parent is init, which reaps it at once ({@code exited}).
     */
    public void exit(Task t, int code) {
        exitMm(t);
        t.exitCode = code;
        exitNotify(t);
    }

    /** Killed by {@code signal} (the default action of SIGSEGV, SIGBUS, SIGABRT, SIGKILL), with an optional reason. */
    public void kill(Task t, String signal, String reason) {
        exitMm(t);
        t.exitSignal = signal;
        t.killReason = reason;
        exitNotify(t);
    }

    /** {@code exit_notify()} with {@code forget_original_parent()}: reparent to init, then zombie or reaped. */
    private void exitNotify(Task t) {
        for (Task child : tasks.all()) {
            if (child.ppid == t.pid && (child.state == Task.State.RUNNING || child.state == Task.State.ZOMBIE)) {
                child.ppid = TaskTable.INIT_PID;
                if (child.state == Task.State.ZOMBIE) {
                    reap(child);
                }
            }
        }
        if (t.ppid == TaskTable.INIT_PID) {
            reap(t);
        } else {
            t.state = Task.State.ZOMBIE;
        }
    }

    private static void reap(Task t) {
        t.state = t.exitSignal != null ? Task.State.KILLED : Task.State.EXITED;
    }

    /** What wait returned: the reaped child with its status, 0 when children run but none has exited, or ECHILD. */
    public record Waited(int pid, Integer code, String signal, String error) {
    }

    /**
     * {@code waitpid(pid, &status, WNOHANG)}: reaps a zombie child of {@code parent} —
     * {@code pid} or, with -1, the lowest-numbered one. The simulator cannot block: with children
     * still running it answers 0, as WNOHANG does; with no such child ECHILD.
     */
    public Waited waitChild(Task parent, int pid) {
        Task found = null;
        boolean anyChild = false;
        for (Task c : tasks.all()) {
            if (c.ppid != parent.pid || (pid != -1 && c.pid != pid)) {
                continue;
            }
            if (c.state == Task.State.RUNNING) {
                anyChild = true;
            } else if (c.state == Task.State.ZOMBIE) {
                anyChild = true;
                if (found == null) {
                    found = c;
                }
            }
        }
        if (found == null) {
            return anyChild ? new Waited(0, null, null, null) : new Waited(-1, null, null, "ECHILD");
        }
        reap(found);
        return new Waited(found.pid, found.exitSignal == null ? found.exitCode : null, found.exitSignal, null);
    }

    /** The children of {@code t} that have not been reaped, in pid order. */
    public List<Integer> children(Task t) {
        return tasks.all().stream().filter(c -> c.ppid == t.pid
                && (c.state == Task.State.RUNNING || c.state == Task.State.ZOMBIE)).map(Task::pid).toList();
    }

    private void exitMm(Task t) {
        if (t.mm != null) {
            run(t);
            Mmap.exitMmap(t.mm, ctx(t));
            t.mm = null;
        }
        t.malloc = null;
    }

    // ------------------------------------------------------------------ memory system calls

    /**
     * mmap(2) of anonymous memory, then {@code mm_populate()} for MAP_POPULATE (write faults
     * for a private writable mapping, read faults otherwise, as {@code populate_vma_page_range}).
     */
    public Mmap.Result mmap(Task t, long addr, long len, int prot, int flags) {
        if ((flags & MmapFlags.MAP_ANONYMOUS) == 0) {
            throw new KernelInputException("flags", "only anonymous mappings are simulated: add MAP_ANONYMOUS");
        }
        run(t);
        MmContext ctx = ctx(t);
        Mmap.Result r = Mmap.doMmap(t.mm, ctx, addr, len, prot, flags, config.arch().is64Bit(),
                config.tunables().overcommitMemory());
        long populate = Mmap.populateLength(flags, len);
        if (!r.failed() && populate > 0) {
            Vma vma = t.mm.vmas().findVma(r.address());
            long access = vma.vmFlags() & (VmFlags.VM_READ | VmFlags.VM_WRITE | VmFlags.VM_EXEC);
            if (access != 0) {
                boolean write = (vma.vmFlags() & (VmFlags.VM_WRITE | VmFlags.VM_SHARED)) == VmFlags.VM_WRITE;
                FaultStats st = new FaultStats();
                Touch.touch(t.mm, ctx, r.address(), populate, write ? Touch.Access.WRITE : Touch.Access.READ, st);
                t.minFlt += st.minor;
                t.majFlt += st.major;
            }
        }
        return r;
    }

    public Mmap.Result munmap(Task t, long addr, long len) {
        run(t);
        return Mmap.doVmiMunmap(t.mm, ctx(t), addr, len);
    }

    public Mmap.Result mprotect(Task t, long addr, long len, int prot) {
        run(t);
        return Mprotect.mprotect(t.mm, ctx(t), addr, len, prot);
    }

    /** brk(2): the new break, or the old one when refused. */
    public long brk(Task t, long addr) {
        run(t);
        return Mmap.brk(t.mm, ctx(t), addr);
    }

    /** glibc {@code sbrk(increment)}: the old break, or -1 (ENOMEM) when the kernel refused. */
    public long sbrk(Task t, long increment) {
        long old = t.mm.brk();
        if (increment == 0) {
            return old;
        }
        long want = old + increment;
        if (increment > 0 && want < old || increment < 0 && want > old) {
            return -1;
        }
        run(t);
        long got = Mmap.brk(t.mm, ctx(t), want);
        return got == want ? old : -1;
    }

    /** set_mempolicy(2): the task's policy ({@code null} or MPOL_DEFAULT removes it). */
    public void setMempolicy(Task t, MemPolicy policy) {
        phys.setMempolicy(t.numa, policy);
    }

    /** mbind(2) of a range. */
    public Mmap.Result mbind(Task t, long addr, long len, MemPolicy policy) {
        MemPolicy valid = policy == null ? null : policy.validate(phys.nrNodes());
        if (valid != null && valid.mode() == org.mmsim.kernel.numa.MemPolicyMode.DEFAULT) {
            valid = null;
        }
        return Mprotect.mbind(t.mm, addr, len, valid);
    }

    /**
     * An access to {@code [addr, addr + length)}; a fault that ends in a signal kills the
     * process (the default action), as on Linux.
     */
    public FaultStats touch(Task t, long addr, long length, Touch.Access access) {
        return touch(t, addr, length, access, t.cpu);
    }

    /**
     * The access run on CPU {@code cpu} (the scheduler moved the task there for it; its home CPU
     * stays): the translations come from that CPU's TLB, a context switch first if it ran
     * another mm.
     */
    public FaultStats touch(Task t, long addr, long length, Touch.Access access, int cpu) {
        if (cpu < 0 || cpu >= tlbs.nrCpus()) {
            throw new KernelInputException("cpu", "cpu " + cpu + " does not exist: the machine has "
                    + tlbs.nrCpus() + " CPUs");
        }
        if (length < 1 || length > MAX_TOUCH_BYTES) {
            throw new KernelInputException("length", "must be between 1 and " + MAX_TOUCH_BYTES + " bytes (16M pages)");
        }
        if (addr < 0 || addr + length < addr) {
            throw new KernelInputException("address", "the range must lie in the 64-bit user address space");
        }
        FaultStats st = new FaultStats();
        long limit = t.mm.taskSizeMax();
        if (addr >= limit) {
            st.signal = new FaultStats.Signal("SIGSEGV", "SEGV_MAPERR", addr);
        } else {
            Tlb tlb = run(t, cpu);
            long tag = t.mm.tlbTag();
            Touch.touch(t.mm, ctx(t), addr, Math.min(length, limit - addr), access, st, tlb, oomKiller.forTask(t));
            if (t.mm != null) {
                // an OOM kill of t itself has dropped its mm and its TLB statistics with it
                tlbs.account(cpu, tag, st.tlbHits, st.tlbMisses);
            }
            if (st.signal == null && addr + length > limit) {
                st.signal = new FaultStats.Signal("SIGSEGV", "SEGV_MAPERR", limit);
            }
        }
        t.minFlt += st.minor;
        t.majFlt += st.major;
        if (st.signal != null && t.alive()) {
            kill(t, st.signal.name(), "OOM".equals(st.signal.code()) ? "oom" : null);
        }
        return st;
    }

    /**
     * A write of {@code value} to {@code /proc/PID/oom_score_adj} ({@code __set_oom_adj}):
     * -1000..1000, else EINVAL — a caller error naming {@code value}. Answers the new value.
     */
    public int setOomScoreAdj(Task t, int value) {
        if (value < OomKiller.OOM_SCORE_ADJ_MIN || value > OomKiller.OOM_SCORE_ADJ_MAX) {
            throw new KernelInputException("value", "oom_score_adj must be between " + OomKiller.OOM_SCORE_ADJ_MIN
                    + " and " + OomKiller.OOM_SCORE_ADJ_MAX + ", got " + value);
        }
        t.oomScoreAdj = value;
        return value;
    }

    // ------------------------------------------------------------------ the C library

    /** The system calls glibc's allocator makes, on behalf of {@code t}. */
    MallocSyscalls syscalls(Task t) {
        return new MallocSyscalls() {
            @Override
            public long sbrk(long increment) {
                return Processes.this.sbrk(t, increment);
            }

            @Override
            public long mmap(long length) {
                Mmap.Result r = Processes.this.mmap(t, 0, length, Prot.PROT_READ | Prot.PROT_WRITE,
                        MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS);
                return r.failed() ? -1 : r.address();
            }

            @Override
            public int munmap(long address, long length) {
                return Processes.this.munmap(t, address, length).failed() ? -1 : 0;
            }
        };
    }

    /** What malloc did, or glibc's abort message when it killed the process with SIGABRT. */
    public record MallocCall(MallocResult result, String abort) {
    }

    /**
     * glibc malloc in {@code t}. When glibc aborts ({@code malloc_printerr}, e.g. the break was
     * moved below its heap behind its back) the process is killed by SIGABRT, as on Linux.
     */
    public MallocCall malloc(Task t, long bytes) {
        if (bytes < 0) {
            throw new KernelInputException("size", "must not be negative");
        }
        try {
            return new MallocCall(t.malloc.malloc(bytes, syscalls(t)), null);
        } catch (org.mmsim.kernel.libc.MallocAbort e) {
            kill(t, "SIGABRT", "malloc(): " + e.getMessage());
            return new MallocCall(null, e.getMessage());
        }
    }

    public FreeResult free(Task t, long address) {
        return t.malloc.free(address, syscalls(t));
    }

    public int mallopt(Task t, String param, long value) {
        return t.malloc.mallopt(param, value);
    }

    /** A process mapping a frame at a virtual address. */
    public record Mapping(int pid, long address) {
    }

    /**
     * Every process and address whose PTE maps {@code pfn}, in pid then address order: the
     * reverse map ({@code rmap_walk}) computed by scanning the page tables.
     */
    public List<Mapping> mappedBy(long pfn) {
        List<Mapping> out = new java.util.ArrayList<>();
        for (Task t : tasks.alive()) {
            for (Vma v : t.mm.vmas()) {
                t.mm.pgd().forEachPte(v.vmStart(), v.vmEnd(), (va, pte) -> {
                    if ((pte & org.mmsim.kernel.paging.Pte._PAGE_PRESENT) != 0
                            && org.mmsim.kernel.paging.Pte.pfn(pte) == pfn) {
                        out.add(new Mapping(t.pid, va));
                    }
                });
            }
        }
        return out;
    }

    /** A PTE holding a swap entry: which process and address sit in which slot. */
    public record SwapMapping(long slot, int pid, long address) {
    }

    /**
     * Every swap entry in a live process's page tables, by slot, then pid, then address (a
     * page-table scan: the simulator keeps no swap-entry reverse map).
     */
    public List<SwapMapping> swapEntries() {
        List<SwapMapping> out = new java.util.ArrayList<>();
        for (Task t : tasks.alive()) {
            for (Vma v : t.mm.vmas()) {
                t.mm.pgd().forEachPte(v.vmStart(), v.vmEnd(), (va, pte) -> {
                    if (org.mmsim.kernel.paging.Pte.isSwap(pte)) {
                        out.add(new SwapMapping(org.mmsim.kernel.paging.Pte.swpOffset(pte, t.mm.pgd().arch()), t.pid,
                                va));
                    }
                });
            }
        }
        out.sort(java.util.Comparator.comparingLong(SwapMapping::slot).thenComparingInt(SwapMapping::pid)
                .thenComparingLong(SwapMapping::address));
        return out;
    }

    // ------------------------------------------------------------------ invariants

    /**
     * Per process: the VMA tree, the page table, RSS counters equal to the present PTEs by kind,
     * {@code total_vm} equal to the VMAs' pages; across processes: every frame's mapcount equal
     * to the PTEs mapping it and every page-table frame owned by a table.
     */
    public void checkInvariants() {
        ProcessInvariants.check(this);
    }

    List<Task> running() {
        return tasks.alive();
    }
}
