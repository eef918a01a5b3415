package org.mmsim.kernel.task;

import org.mmsim.kernel.KernelInputException;

/**
 * The program a process runs, as its ELF segments would size it: {@code textBytes} of code
 * (with the read-only data), {@code dataBytes} of initialised data, {@code bssBytes} of
 * zero-initialised data.
 */
public record Image(long textBytes, long dataBytes, long bssBytes) {
    /** The default program: 64 KiB of text, 8 KiB of data, 16 KiB of bss. */
    public static final Image DEFAULT = new Image(64 << 10, 8 << 10, 16 << 10);
    /** The largest segment accepted. */
    public static final long MAX_SEGMENT_BYTES = 1L << 30;

    public Image {
        check(textBytes, "image.text", 1);
        check(dataBytes, "image.data", 0);
        check(bssBytes, "image.bss", 0);
    }

    private static void check(long bytes, String field, long min) {
        if (bytes < min || bytes > MAX_SEGMENT_BYTES) {
            throw new KernelInputException(field, "must be between " + min + " and 1GiB bytes, got " + bytes);
        }
    }
}
