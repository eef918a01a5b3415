package org.mmsim.kernel.machine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.mmsim.kernel.phys.PhysicalMemory;
import org.mmsim.kernel.task.ProcessCodec;
import org.mmsim.kernel.task.Processes;
import org.mmsim.kernel.tlb.CpuTlbs;

/**
 * The snapshot codec: a machine as compact, versioned bytes and back.
 *
 * <p>Layout: the magic {@code "MMS"}, one byte of format version, then a deflated body holding the
 * config, the number of operations applied, and each subsystem's own primitive encoding in a fixed
 * order. Decoding gives a machine that encodes to the same bytes and behaves identically: the
 * next allocation returns the same pfn. The body grows with what the machine uses, not with its
 * size: a fresh 1 TiB machine encodes to a few hundred bytes.
 */
public final class MachineCodec {

    /** The format this codec writes; readers accept every format they know. */
    public static final int FORMAT = 4;
    private static final int MAGIC = 0x4D4D53; // "MMS"

    private MachineCodec() {
    }

    public static byte[] encode(Machine machine) {
        byte[] raw = encodeRaw(machine);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 + raw.length / 4);
            out.write(MAGIC >>> 16);
            out.write(MAGIC >>> 8 & 0xff);
            out.write(MAGIC & 0xff);
            out.write(FORMAT);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    public static Machine decode(byte[] bytes) {
        if (bytes.length < 4 || ((bytes[0] & 0xff) << 16 | (bytes[1] & 0xff) << 8 | bytes[2] & 0xff) != MAGIC) {
            throw new IllegalArgumentException("not an mmsim snapshot");
        }
        int format = bytes[3] & 0xff;
        if (format < 1 || format > FORMAT) {
            throw new IllegalArgumentException("unknown snapshot format " + format);
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(bytes, 4, bytes.length - 4);
            ByteArrayOutputStream raw = new ByteArrayOutputStream(bytes.length * 4);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated snapshot");
                }
                raw.write(buffer, 0, n);
            }
            return decodeRaw(raw.toByteArray(), format);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("corrupt snapshot", e);
        } finally {
            inflater.end();
        }
    }

    /** The uncompressed body: what equality of two machines is judged on. */
    public static byte[] encodeRaw(Machine machine) {
        return encodeRaw(machine, FORMAT);
    }

    /**
     * The body as format {@code format} (3 or this one) lays it out: what older readers read, so the
     * compatibility path of {@link #decode} can be tested. Format 3 drops the reclaim config and the
     * LRU section (the lists are then rebuilt when decoded).
     */
    static byte[] encodeRaw(Machine machine, int format) {
        if (format != 3 && format != FORMAT) {
            throw new IllegalArgumentException("cannot write format " + format);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeConfig(out, machine.config(), format);
            out.writeLong(machine.operationsApplied());
            machine.phys().writeTo(out);
            ProcessCodec.write(machine.processes(), out);
            // format 3: the OOM and overcommit state, the TLBs, the slab caches, the kernel's
            // objects in them, vmalloc areas
            ProcessCodec.writeOom(machine.processes(), out);
            machine.processes().tlbs().writeTo(out);
            machine.slub().writeTo(out);
            machine.kernelObjects().writeTo(out);
            machine.vmalloc().writeTo(out);
            // format 3, after the others: the swap device (issue 6)
            machine.phys().swap().writeTo(out);
            // format 4: the LRU lists, the reclaim counters, kswapd's failures
            if (format >= 4) {
                machine.vmscan().writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Machine decodeRaw(byte[] raw) {
        return decodeRaw(raw, FORMAT);
    }

    /**
     * Format 4 adds the reclaim config (swappiness, policy) to the config and, last, the LRU lists
     * and reclaim counters (older snapshots get lists rebuilt from their pages, inactive, in pfn
     * order). Format 1 (issue 3) had no processes; format 2 adds them after physical memory; format 3 adds
     * after them, in this order, the OOM and overcommit state, the TLBs with their config, the slab
     * caches, the kernel objects and the vmalloc areas (older snapshots get the boot defaults:
     * oom_score_adj 0, no kills, reserves from the free pages at decode time, empty TLBs and caches).
     */
    static Machine decodeRaw(byte[] raw, int format) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw))) {
            MachineConfig config = readConfig(in, format);
            long applied = in.readLong();
            PhysicalMemory phys = PhysicalMemory.readFrom(in, config);
            Processes processes = format >= 2 ? ProcessCodec.read(in, phys, config) : new Processes(phys, config);
            if (format >= 3) {
                ProcessCodec.readOom(in, processes);
                CpuTlbs tlbs = CpuTlbs.readFrom(in);
                config = config.withTlb(tlbs.config());
                processes.restoreTlbs(tlbs);
            } else {
                processes.restoreTlbs(new CpuTlbs(config.tlb(), config.totalCpus()));
            }
            Machine machine = new Machine(config, applied, phys, processes);
            if (format >= 3) {
                machine.slub().readFrom(in);
                machine.kernelObjects().readFrom(in, machine.processes());
                machine.vmalloc().readFrom(in);
                phys.restoreSwap(org.mmsim.kernel.swap.SwapInfo.readFrom(in, config.swapBytes()));
            }
            if (format >= 4) {
                machine.vmscan().readFrom(in);
            } else {
                machine.vmscan().rebuildLists();
            }
            return machine;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt snapshot", e);
        }
    }

    private static void writeConfig(DataOutputStream out, MachineConfig c, int format) throws IOException {
        out.writeUTF(c.arch().id());
        out.writeShort(c.nodes().size());
        for (MachineConfig.NodeSpec node : c.nodes()) {
            out.writeLong(node.memoryBytes());
            out.writeShort(node.cpus());
        }
        for (List<Integer> row : c.distances()) {
            for (int d : row) {
                out.writeByte(d);
            }
        }
        out.writeLong(c.swapBytes());
        out.writeLong(c.seed());
        out.writeBoolean(c.aslr());
        Tunables t = c.tunables();
        out.writeLong(t.minFreeKbytes());
        out.writeInt(t.watermarkScaleFactor());
        out.writeLong(t.movablecoreBytes());
        out.writeUTF(t.transparentHugepage());
        out.writeByte(t.overcommitMemory());
        out.writeInt(t.overcommitRatio());
        if (format >= 4) {
            out.writeShort(t.swappiness());
            out.writeUTF(c.reclaim().id());
        }
    }

    private static MachineConfig readConfig(DataInputStream in, int format) throws IOException {
        Arch arch = Arch.fromId(in.readUTF());
        int nrNodes = in.readShort();
        List<MachineConfig.NodeSpec> nodes = new ArrayList<>(nrNodes);
        for (int i = 0; i < nrNodes; i++) {
            nodes.add(new MachineConfig.NodeSpec(in.readLong(), in.readShort()));
        }
        List<List<Integer>> distances = new ArrayList<>(nrNodes);
        for (int from = 0; from < nrNodes; from++) {
            List<Integer> row = new ArrayList<>(nrNodes);
            for (int to = 0; to < nrNodes; to++) {
                row.add(in.readUnsignedByte());
            }
            distances.add(row);
        }
        long swap = in.readLong();
        long seed = in.readLong();
        boolean aslr = in.readBoolean();
        Tunables tunables = new Tunables(in.readLong(), in.readInt(), in.readLong(), in.readUTF(), in.readByte(),
                in.readInt());
        ReclaimPolicy reclaim = ReclaimPolicy.KERNEL;
        if (format >= 4) {
            tunables = new Tunables(tunables.minFreeKbytes(), tunables.watermarkScaleFactor(),
                    tunables.movablecoreBytes(), tunables.transparentHugepage(), tunables.overcommitMemory(),
                    tunables.overcommitRatio(), in.readShort());
            reclaim = ReclaimPolicy.fromId(in.readUTF());
            if (reclaim == null) {
                throw new IOException("unknown reclaim policy");
            }
        }
        return new MachineConfig(arch, nodes, distances, swap, seed, aslr, tunables, null, reclaim);
    }
}
