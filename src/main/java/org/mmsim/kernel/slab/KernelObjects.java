package org.mmsim.kernel.slab;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.phys.Gfp;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.task.Task;

/**
 * The slab objects the simulated kernel holds for its processes: a {@code task_struct} per task
 * until it is reaped ({@code dup_task_struct} → {@code alloc_task_struct_node}; {@code
 * free_task} after {@code release_task}; the simulator keeps listing reaped tasks as exited or
 * killed, and they hold nothing), an {@code mm_struct} per address space ({@code
 * mm_alloc}/{@code dup_mm}; {@code __mmdrop}), a {@code vm_area_struct} per VMA ({@code
 * vm_area_alloc}/{@code vm_area_dup} on mmap, split and fork; {@code vm_area_free} on merge,
 * munmap and exit), an {@code anon_vma} per distinct {@code vma->anon_vma} ({@code
 * anon_vma_prepare}, {@code anon_vma_fork}; freed when no VMA refers to it).
 *
 * <p>Simplification: instead of allocating at the exact point of each kernel path, {@link #sync}
 * runs after every operation and allocates or frees objects until each process holds exactly
 * what its state needs (frees first, then allocations, in pid order; a process's VMA objects are
 * freed newest first). The net effect on the caches and the buddy allocator is the kernel's; the
 * interleaving with the operation's own page allocations is not. A slab page that cannot be had
 * leaves the object missing (retried on the next operation) instead of failing the system call.
 * All objects are allocated with GFP_KERNEL on the node of the task's CPU.
 */
public final class KernelObjects {

    /** The objects held for one task. */
    private static final class Held {
        Task task;
        long taskStruct;
        MmStruct mm;
        long mmStruct;
        final List<Long> vmas = new ArrayList<>();
    }

    private final Slub slub;
    private final PhysicalMemory phys;
    private final TreeMap<Integer, Held> byPid = new TreeMap<>();
    /** {@code anon_vma} id → object address. */
    private final TreeMap<Long, Long> anonVmas = new TreeMap<>();

    public KernelObjects(Slub slub, PhysicalMemory phys) {
        this.slub = slub;
        this.phys = phys;
    }

    /** Brings the objects in line with the processes' state: see the class comment. */
    public void sync(Processes processes) {
        KmemCache taskCache = slub.cache(Slub.TASK_STRUCT);
        KmemCache mmCache = slub.cache(Slub.MM_STRUCT);
        KmemCache vmaCache = slub.cache(Slub.VM_AREA_STRUCT);
        KmemCache anonCache = slub.cache(Slub.ANON_VMA);
        List<Task> tasks = unreaped(processes);
        TreeMap<Long, Task> anonUsers = new TreeMap<>();
        TreeMap<Integer, Task> live = new TreeMap<>();
        for (Task t : tasks) {
            live.put(t.pid(), t);
            if (t.mm() != null) {
                for (Vma v : t.mm().vmas()) {
                    if (v.anonVma() != Vma.NO_ANON_VMA) {
                        anonUsers.putIfAbsent(v.anonVma(), t);
                    }
                }
            }
        }
        // frees: anon_vmas nobody refers to, then what each task no longer needs
        for (Long id : new TreeSet<>(anonVmas.keySet())) {
            if (!anonUsers.containsKey(id)) {
                slub.kmemCacheFree(anonCache, anonVmas.remove(id));
            }
        }
        for (Integer pid : new TreeSet<>(byPid.keySet())) {
            Held h = byPid.get(pid);
            Task t = live.get(pid);
            boolean gone = t != h.task;
            MmStruct mm = gone ? null : t.mm();
            if (mm != h.mm) {
                freeVmas(vmaCache, h, 0);
                if (h.mmStruct != 0) {
                    slub.kmemCacheFree(mmCache, h.mmStruct);
                }
                h.mm = null;
                h.mmStruct = 0;
            } else if (mm != null) {
                freeVmas(vmaCache, h, mm.vmas().mapCount());
            }
            if (gone) {
                if (h.taskStruct != 0) {
                    slub.kmemCacheFree(taskCache, h.taskStruct);
                }
                byPid.remove(pid);
            }
        }
        // allocations, in pid order: task_struct, mm_struct, the VMAs
        for (Task t : tasks) {
            Held h = byPid.computeIfAbsent(t.pid(), pid -> new Held());
            h.task = t;
            int nid = phys.cpuToNode(t.cpu());
            if (h.taskStruct == 0) {
                h.taskStruct = alloc(taskCache, nid, t.cpu());
            }
            MmStruct mm = t.mm();
            if (mm == null) {
                continue;
            }
            h.mm = mm;
            if (h.mmStruct == 0) {
                h.mmStruct = alloc(mmCache, nid, t.cpu());
            }
            while (h.vmas.size() < mm.vmas().mapCount()) {
                long a = alloc(vmaCache, nid, t.cpu());
                if (a == 0) {
                    break;
                }
                h.vmas.add(a);
            }
        }
        for (Map.Entry<Long, Task> e : anonUsers.entrySet()) {
            if (!anonVmas.containsKey(e.getKey())) {
                Task t = e.getValue();
                long a = alloc(anonCache, phys.cpuToNode(t.cpu()), t.cpu());
                if (a != 0) {
                    anonVmas.put(e.getKey(), a);
                }
            }
        }
    }

    /** Tasks whose {@code task_struct} exists: running ones and zombies (exited or killed ones were reaped). */
    /** A task keeps its task_struct until it is reaped: running or a zombie. */
    private static boolean holdsTaskStruct(Task t) {
        return t.state() == Task.State.RUNNING || t.state() == Task.State.ZOMBIE;
    }

    private static List<Task> unreaped(Processes processes) {
        List<Task> out = new ArrayList<>();
        for (Task t : processes.tasks().all()) {
            if (holdsTaskStruct(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private long alloc(KmemCache s, int nid, int cpu) {
        return slub.kmemCacheAlloc(s, Gfp.GFP_KERNEL, nid, cpu, s.size);
    }

    private void freeVmas(KmemCache vmaCache, Held h, int keep) {
        while (h.vmas.size() > keep) {
            slub.kmemCacheFree(vmaCache, h.vmas.remove(h.vmas.size() - 1));
        }
    }

    /** Objects held per cache name: task_struct, mm_struct, vm_area_struct, anon_vma. */
    public long[] counts() {
        long tasks = 0;
        long mms = 0;
        long vmas = 0;
        for (Held h : byPid.values()) {
            tasks += h.taskStruct != 0 ? 1 : 0;
            mms += h.mmStruct != 0 ? 1 : 0;
            vmas += h.vmas.size();
        }
        return new long[] {tasks, mms, vmas, anonVmas.size()};
    }

    /**
     * Every held object is allocated in its cache, no process holds more than its state needs,
     * and the named caches hold nothing else.
     */
    public void checkInvariants(Processes processes) {
        long[] held = counts();
        String[] names = {Slub.TASK_STRUCT, Slub.MM_STRUCT, Slub.VM_AREA_STRUCT, Slub.ANON_VMA};
        for (int i = 0; i < names.length; i++) {
            long active = slub.cache(names[i]).activeObjects;
            if (active != held[i]) {
                throw new IllegalStateException(names[i] + ": " + active + " objects allocated, the kernel holds "
                        + held[i]);
            }
        }
        for (Map.Entry<Integer, Held> e : byPid.entrySet()) {
            Held h = e.getValue();
            Task t = processes.tasks().find(e.getKey());
            if (t != h.task || !holdsTaskStruct(t)) {
                throw new IllegalStateException("task_struct of pid " + e.getKey() + " outlives its task");
            }
            checkObject(Slub.TASK_STRUCT, h.taskStruct);
            checkObject(Slub.MM_STRUCT, h.mmStruct);
            for (long a : h.vmas) {
                checkObject(Slub.VM_AREA_STRUCT, a);
            }
            int need = t.mm() == null ? 0 : t.mm().vmas().mapCount();
            if (h.vmas.size() > need || (h.mm != null && h.mm != t.mm())) {
                throw new IllegalStateException("pid " + e.getKey() + " holds " + h.vmas.size()
                        + " vm_area_structs for " + need + " VMAs");
            }
        }
        for (long a : anonVmas.values()) {
            checkObject(Slub.ANON_VMA, a);
        }
    }

    private void checkObject(String cache, long address) {
        if (address == 0) {
            return;
        }
        Slab slab = slub.slabOf(address);
        if (slab == null || !slab.cache.name.equals(cache)
                || slab.isFree((int) ((address - slub.address(slab.pfn, 0)) / slab.cache.size))) {
            throw new IllegalStateException("a " + cache + " at " + Slub.hex(address) + " is not allocated");
        }
    }

    // ================================================================ snapshot

    public void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(byPid.size());
        for (Map.Entry<Integer, Held> e : byPid.entrySet()) {
            Held h = e.getValue();
            out.writeInt(e.getKey());
            out.writeLong(h.taskStruct);
            out.writeBoolean(h.mm != null);
            out.writeLong(h.mmStruct);
            out.writeInt(h.vmas.size());
            for (long a : h.vmas) {
                out.writeLong(a);
            }
        }
        out.writeInt(anonVmas.size());
        for (Map.Entry<Long, Long> e : anonVmas.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    /** Reads what {@link #writeTo} wrote, binding each entry to the decoded task of its pid. */
    public void readFrom(DataInputStream in, Processes processes) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            int pid = in.readInt();
            Held h = new Held();
            h.task = processes.tasks().find(pid);
            if (h.task == null) {
                throw new IOException("kernel objects of unknown pid " + pid);
            }
            h.taskStruct = in.readLong();
            h.mm = in.readBoolean() ? h.task.mm() : null;
            h.mmStruct = in.readLong();
            int nrVmas = in.readInt();
            for (int k = 0; k < nrVmas; k++) {
                h.vmas.add(in.readLong());
            }
            byPid.put(pid, h);
        }
        int nrAnon = in.readInt();
        for (int i = 0; i < nrAnon; i++) {
            anonVmas.put(in.readLong(), in.readLong());
        }
    }
}
