package org.mmsim.kernel.procfs;

import java.util.Optional;
import org.mmsim.kernel.machine.Machine;
import org.mmsim.kernel.mm.AddressSpace;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.mm.Vma;
import org.mmsim.kernel.mm.VmFlags;
import org.mmsim.kernel.task.Task;

/**
 * {@code /proc/PID/maps}: {@code show_map_vma()}, fs/proc/task_mmu.c (6.x), one line per VMA in
 * address order:
 * <pre>
 * 555555554000-555555564000 r-xp 00000000 08:01 131001                     /usr/bin/app
 * 555555566000-55555556a000 rw-p 00000000 00:00 0 
 * 7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
 * </pre>
 * {@code show_vma_header_prefix} prints start-end in lower-case hex of at least 8 digits, the
 * permissions ({@code s} for VM_MAYSHARE, else {@code p}), the offset ({@code vm_pgoff << 12}
 * for file VMAs, shmem included; 0 for anonymous ones), {@code MAJ:MIN} in 2-digit hex and the
 * inode in decimal, then a space. A name is padded to column {@code 25 + 6 * sizeof(void *)}
 * ({@code seq_setwidth} then {@code seq_pad}: column 73 on x86_64, 49 on the 32-bit i386 kernel);
 * an unnamed VMA's line ends in {@code "0 "}. Names ({@code get_vma_name}): the file's path (or
 * {@code [anon_shmem:NAME]} for a named shmem VMA), {@code [heap]} ({@code vma_is_initial_heap}:
 * {@code vm_start < brk && vm_end > start_brk}), {@code [stack]} ({@code vma_is_initial_stack}:
 * {@code vm_start <= start_stack <= vm_end}), {@code [anon:NAME]}.
 *
 * <p>Simulated constants: the program image lives on {@code 08:01} (sda1); shared anonymous
 * memory on the internal shmem mount {@code 00:01}; anonymous memory is {@code 00:00} inode 0.
 * The programs are statically linked and the simulator has no vDSO, so there is no
 * {@code [vvar]}, {@code [vdso]} or {@code [vsyscall]} line.
 *
 * <p>Which processes have a {@code /proc/PID}: see {@link #render}.
 */
public final class PidMaps {
    /** {@code MAJOR:MINOR} of the disk the program images are read from: sda1. */
    public static final int IMAGE_DEV_MAJOR = 8;
    public static final int IMAGE_DEV_MINOR = 1;
    /** {@code MAJOR:MINOR} of the kernel's internal shmem mount ({@code shm_mnt}), first anonymous device. */
    public static final int SHMEM_DEV_MAJOR = 0;
    public static final int SHMEM_DEV_MINOR = 1;

    private PidMaps() {
    }

    /**
     * The maps file of {@code pid}, or empty when the kernel has no {@code /proc/PID}: an unknown
     * pid, or a process that has exited or been killed (init reaps at once, so it is gone). A
     * zombie's file exists but is empty (no mm).
     */
    public static Optional<String> render(Machine machine, int pid) {
        Task t = procTask(machine, pid);
        if (t == null) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        MmStruct mm = t.mm();
        if (mm != null) {
            boolean is64 = machine.config().arch().is64Bit();
            for (Vma vma : mm.vmas()) {
                showMapVma(sb, mm, vma, is64);
            }
        }
        return Optional.of(sb.toString());
    }

    /** The task behind {@code /proc/PID}: null when there is no such directory (unknown, exited, killed). */
    static Task procTask(Machine machine, int pid) {
        Task t = machine.processes().tasks().find(pid);
        if (t == null || t.state() == Task.State.EXITED || t.state() == Task.State.KILLED) {
            return null;
        }
        return t;
    }

    /** {@code show_map_vma()}: one maps line, newline included. */
    static void showMapVma(StringBuilder sb, MmStruct mm, Vma vma, boolean is64) {
        AddressSpace file = vma.vmFile();
        int lineStart = sb.length();
        if (file != null) {
            int major = file.isShmem() ? SHMEM_DEV_MAJOR : IMAGE_DEV_MAJOR;
            int minor = file.isShmem() ? SHMEM_DEV_MINOR : IMAGE_DEV_MINOR;
            showVmaHeaderPrefix(sb, vma.vmStart(), vma.vmEnd(), vma.vmFlags(), vma.vmPgoff() << 12, major, minor,
                    file.inode());
        } else {
            showVmaHeaderPrefix(sb, vma.vmStart(), vma.vmEnd(), vma.vmFlags(), 0, 0, 0, 0);
        }
        String name = vmaName(mm, vma);
        if (name != null) {
            seqPad(sb, lineStart, is64);
            sb.append(name);
        }
        sb.append('\n');
    }

    /** {@code get_vma_name()}: the name printed after the padding, or null for none. */
    static String vmaName(MmStruct mm, Vma vma) {
        AddressSpace file = vma.vmFile();
        if (file != null) {
            return vma.name().isEmpty() ? file.path() : "[anon_shmem:" + vma.name() + "]";
        }
        if (isInitialHeap(mm, vma)) {
            return "[heap]";
        }
        if (isInitialStack(mm, vma)) {
            return "[stack]";
        }
        return vma.name().isEmpty() ? null : "[anon:" + vma.name() + "]";
    }

    /** {@code vma_is_initial_heap()}, include/linux/mm.h. */
    static boolean isInitialHeap(MmStruct mm, Vma vma) {
        return Long.compareUnsigned(vma.vmStart(), mm.brk()) < 0 && Long.compareUnsigned(vma.vmEnd(), mm.startBrk()) > 0;
    }

    /** {@code vma_is_initial_stack()}, include/linux/mm.h. */
    static boolean isInitialStack(MmStruct mm, Vma vma) {
        return Long.compareUnsigned(vma.vmStart(), mm.startStack()) <= 0
                && Long.compareUnsigned(vma.vmEnd(), mm.startStack()) >= 0;
    }

    /** {@code show_vma_header_prefix()}: {@code start-end perms offset MAJ:MIN inode } (trailing space). */
    static void showVmaHeaderPrefix(StringBuilder sb, long start, long end, long flags, long pgoffBytes, int major,
            int minor, long ino) {
        hex(sb, start, 8);
        sb.append('-');
        hex(sb, end, 8);
        sb.append(' ')
                .append((flags & VmFlags.VM_READ) != 0 ? 'r' : '-')
                .append((flags & VmFlags.VM_WRITE) != 0 ? 'w' : '-')
                .append((flags & VmFlags.VM_EXEC) != 0 ? 'x' : '-')
                .append((flags & VmFlags.VM_MAYSHARE) != 0 ? 's' : 'p')
                .append(' ');
        hex(sb, pgoffBytes, 8);
        sb.append(' ');
        hex(sb, major, 2);
        sb.append(':');
        hex(sb, minor, 2);
        sb.append(' ').append(Long.toUnsignedString(ino)).append(' ');
    }

    /**
     * {@code seq_pad(m, ' ')} after {@code seq_setwidth(m, 25 + sizeof(void *) * 6 - 1)}: spaces up to
     * that width from the line start, then one more space. The name starts at column 73 (0-based) on
     * a 64-bit kernel, 49 on a 32-bit one.
     */
    static void seqPad(StringBuilder sb, int lineStart, boolean is64) {
        int width = 25 + (is64 ? 8 : 4) * 6 - 1;
        while (sb.length() - lineStart < width) {
            sb.append(' ');
        }
        sb.append(' ');
    }

    /** {@code seq_put_hex_ll(m, NULL, v, width)}: lower-case hex, zero-padded to at least {@code width} digits. */
    static void hex(StringBuilder sb, long v, int width) {
        String digits = Long.toHexString(v);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(digits);
    }
}
