package org.mmsim.kernel.mm;

import java.util.List;
import org.mmsim.kernel.KernelInputException;

/**
 * The {@code prot} argument of mmap(2) and mprotect(2): {@code PROT_*},
 * include/uapi/asm-generic/mman-common.h, and {@code calc_vm_prot_bits()} (include/linux/mman.h).
 */
public final class Prot {
    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;

    private Prot() {
    }

    /**
     * Parses {@code "rw-"} (the maps spelling: r, w, x or '-' in their places), or
     * {@code "PROT_READ|PROT_WRITE"}; bad text is a caller error naming {@code field}.
     */
    public static int parse(String text, String field) {
        if (text == null) {
            throw new KernelInputException(field, "is required: e.g. \"rw-\" or \"PROT_READ|PROT_WRITE\"");
        }
        String t = text.trim();
        if (t.matches("[r-][w-][x-]")) {
            return (t.charAt(0) == 'r' ? PROT_READ : 0) | (t.charAt(1) == 'w' ? PROT_WRITE : 0)
                    | (t.charAt(2) == 'x' ? PROT_EXEC : 0);
        }
        int prot = 0;
        for (String part : t.split("\\|")) {
            switch (part.trim()) {
                case "PROT_NONE" -> prot |= PROT_NONE;
                case "PROT_READ" -> prot |= PROT_READ;
                case "PROT_WRITE" -> prot |= PROT_WRITE;
                case "PROT_EXEC" -> prot |= PROT_EXEC;
                default -> throw new KernelInputException(field, "'" + text
                        + "' is not a protection: use \"rwx\" letters with '-' (\"rw-\") or PROT_READ|PROT_WRITE|PROT_EXEC|PROT_NONE");
            }
        }
        return prot;
    }

    /** Parses a list such as {@code ["PROT_READ","PROT_WRITE"]}. */
    public static int parse(List<String> names, String field) {
        return parse(names == null || names.isEmpty() ? "PROT_NONE" : String.join("|", names), field);
    }

    /** {@code "rw-"}. */
    public static String format(int prot) {
        return ((prot & PROT_READ) != 0 ? "r" : "-") + ((prot & PROT_WRITE) != 0 ? "w" : "-")
                + ((prot & PROT_EXEC) != 0 ? "x" : "-");
    }

    /** {@code calc_vm_prot_bits()}: PROT_READ/WRITE/EXEC are VM_READ/WRITE/EXEC bit for bit. */
    public static long calcVmProtBits(int prot) {
        return prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
    }
}
