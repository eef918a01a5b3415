package org.mmsim.api;

import java.util.Locale;

/**
 * Sizes and addresses as clients write them: bytes ({@code 4096}, {@code "4096"}) or a number
 * with a binary unit ({@code "4KiB"}, {@code "2MiB"}, {@code "1GiB"}, {@code "1TiB"}; {@code K},
 * {@code M}, {@code G}, {@code T} mean the same, as on the kernel command line's {@code memparse});
 * addresses in responses as hex strings ({@code "0x7f0000000000"}).
 */
final class Sizes {

    private static final String[][] UNITS = {
        {"kib", "k", "kb"}, {"mib", "m", "mb"}, {"gib", "g", "gb"}, {"tib", "t", "tb"}, {"pib", "p", "pb"}};

    private Sizes() {
    }

    /** Parses a size in bytes, naming {@code field} when it is malformed or negative. */
    static long bytes(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ApiInputException(field, field + " is required (bytes, or a number with KiB, MiB, GiB, TiB)");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new ApiInputException(field, field + " must be a non-negative number of bytes or a size like"
                    + " \"64KiB\", got \"" + text + "\"");
        }
        long number;
        try {
            number = Long.parseLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            throw new ApiInputException(field, field + " is too large: \"" + text + "\"");
        }
        String unit = s.substring(end).trim();
        if (unit.isEmpty() || unit.equals("b")) {
            return number;
        }
        for (int i = 0; i < UNITS.length; i++) {
            for (String name : UNITS[i]) {
                if (name.equals(unit)) {
                    int shift = 10 * (i + 1);
                    if (number > (Long.MAX_VALUE >> shift)) {
                        throw new ApiInputException(field, field + " is too large: \"" + text + "\"");
                    }
                    return number << shift;
                }
            }
        }
        throw new ApiInputException(field, field + " has an unknown unit \"" + unit
                + "\"; use B, KiB, MiB, GiB, TiB or PiB");
    }

    /**
     * Parses an address: a hex string ({@code "0x55555555a000"}) or a decimal integer
     * ({@code "93824992260096"}), naming {@code field} when it is malformed or negative.
     */
    static long address(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ApiInputException(field, field + " is required: a hex string like \"0x7ffff7ff0000\" or an integer");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            long value = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
            if (value < 0) {
                throw new ApiInputException(field, field + " must be a user-space address below 2^63, got \"" + text + "\"");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ApiInputException(field, field + " must be a hex string like \"0x7ffff7ff0000\" or an integer, got \""
                    + text + "\"");
        }
    }

    /** A kernel address: any 64-bit value, a hex string like {@code "0xffff888000001000"} or an integer. */
    static long kernelAddress(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new ApiInputException(field, field + " is required: a hex string like \"0xffff888000001000\"");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new ApiInputException(field, field + " must be a hex string like \"0xffff888000001000\" or an "
                    + "integer, got \"" + text + "\"");
        }
    }

    /** An address or, when absent, {@code fallback}. */
    static long address(String field, String text, long fallback) {
        return text == null ? fallback : address(field, text);
    }

    /** A size as a person writes it: the largest binary unit that divides it exactly. */
    static String human(long bytes) {
        String[] names = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int unit = 0;
        long value = bytes;
        while (unit < names.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + names[unit];
    }

    /** An address as responses show it: {@code "0x55555555a000"}. */
    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }
}
