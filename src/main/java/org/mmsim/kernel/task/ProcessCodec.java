package org.mmsim.kernel.task;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.mmsim.kernel.libc.Malloc;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.mm.AddressSpace;
import org.mmsim.kernel.mm.MmCodec;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * {@link Processes} in the snapshot encoding: the open files with their page caches, the VM
 * event counters, then every task in pid order with its mm and its allocator state.
 */
public final class ProcessCodec {
    private static final int MAGIC = 0x50524f43;
    private static final int VERSION = 1;

    private ProcessCodec() {
    }

    public static void write(Processes p, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(p.files.nextId());
        var files = p.files.all();
        out.writeInt(files.size());
        for (AddressSpace as : files) {
            out.writeInt(as.id());
            out.writeUTF(as.path());
            out.writeBoolean(as.isShmem());
            out.writeLong(as.inode());
            out.writeLong(as.sizePages());
            out.writeInt(as.mappers());
            long[][] pages = as.sortedPages();
            out.writeInt(pages.length);
            for (long[] e : pages) {
                out.writeLong(e[0]);
                out.writeLong(e[1]);
            }
        }
        long[] ev = p.events.values();
        out.writeInt(ev.length);
        for (long v : ev) {
            out.writeLong(v);
        }
        out.writeInt(p.tasks.lastPid());
        var all = p.tasks.all();
        out.writeInt(all.size());
        for (Task t : all) {
            out.writeInt(t.pid);
            out.writeInt(t.ppid);
            out.writeUTF(t.comm);
            out.writeByte(t.state.ordinal());
            out.writeInt(t.exitCode);
            writeNullable(out, t.exitSignal);
            writeNullable(out, t.killReason);
            out.writeInt(t.cpu);
            out.writeLong(t.image.textBytes());
            out.writeLong(t.image.dataBytes());
            out.writeLong(t.image.bssBytes());
            PhysicalMemory.writePolicy(out, t.numa.mempolicy());
            out.writeInt(t.numa.ilPrev());
            out.writeInt(t.numa.ilWeight());
            out.writeLong(t.minFlt);
            out.writeLong(t.majFlt);
            out.writeBoolean(t.mm != null);
            if (t.mm != null) {
                MmCodec.write(t.mm, out);
            }
            out.writeBoolean(t.malloc != null);
            if (t.malloc != null) {
                t.malloc.writeTo(out);
            }
        }
    }

    public static Processes read(DataInputStream in, PhysicalMemory phys, MachineConfig config) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not a process table of version " + VERSION);
        }
        Processes p = new Processes(phys, config);
        int nextFileId = in.readInt();
        int nf = in.readInt();
        for (int i = 0; i < nf; i++) {
            AddressSpace as = p.files.restore(in.readInt(), in.readUTF(), in.readBoolean(), in.readLong(), in.readLong(),
                    in.readInt());
            int np = in.readInt();
            for (int k = 0; k < np; k++) {
                as.addPage(in.readLong(), in.readLong());
            }
        }
        p.files.setNextId(nextFileId);
        long[] ev = new long[in.readInt()];
        for (int i = 0; i < ev.length; i++) {
            ev[i] = in.readLong();
        }
        p.events.restore(ev);
        int lastPid = in.readInt();
        int nt = in.readInt();
        for (int i = 0; i < nt; i++) {
            int pid = in.readInt();
            int ppid = in.readInt();
            String comm = in.readUTF();
            Task.State state = Task.State.values()[in.readByte()];
            int exitCode = in.readInt();
            String exitSignal = readNullable(in);
            String killReason = readNullable(in);
            int cpu = in.readInt();
            Image image = new Image(in.readLong(), in.readLong(), in.readLong());
            Task t = p.tasks.restore(pid, ppid, comm, cpu, image);
            t.state = state;
            t.exitCode = exitCode;
            t.exitSignal = exitSignal;
            t.killReason = killReason;
            t.numa.restore(PhysicalMemory.readPolicy(in), in.readInt(), in.readInt());
            t.minFlt = in.readLong();
            t.majFlt = in.readLong();
            if (in.readBoolean()) {
                t.mm = MmCodec.read(in, p.files, config.arch(), p.tableAllocator(t));
            }
            if (in.readBoolean()) {
                t.malloc = Malloc.readFrom(in);
            }
        }
        p.tasks.setLastPid(lastPid);
        return p;
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /**
     * The OOM and overcommit state (snapshot format 3, written after everything else): the free
     * pages at boot the overcommit reserves come from, the {@code oom_kill} count, then every
     * task's {@code oom_score_adj} in pid order.
     */
    public static void writeOom(Processes p, DataOutputStream out) throws IOException {
        out.writeLong(p.freePagesAtBoot);
        out.writeLong(p.events.oomKill);
        var all = p.tasks.all();
        out.writeInt(all.size());
        for (Task t : all) {
            out.writeShort(t.oomScoreAdj);
        }
    }

    /** Reads {@link #writeOom}'s section into {@code p}, whose tasks were read already. */
    public static void readOom(DataInputStream in, Processes p) throws IOException {
        p.restoreFreePagesAtBoot(in.readLong());
        p.events.oomKill = in.readLong();
        var all = p.tasks.all();
        if (in.readInt() != all.size()) {
            throw new IOException("oom section does not match the task table");
        }
        for (Task t : all) {
            t.oomScoreAdj = in.readShort();
        }
    }
}
