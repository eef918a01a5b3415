package org.mmsim.kernel.mm;

/**
 * What {@code get_unmapped_area()} answered: an address, or the errno a real kernel would return
 * ({@code "ENOMEM"}, {@code "EEXIST"}, {@code "EINVAL"}) with {@code address == -1}. An outcome of
 * the simulation, never an exception.
 */
public record UnmappedArea(long address, String errno) {

    public static UnmappedArea at(long address) {
        return new UnmappedArea(address, null);
    }

    public static UnmappedArea error(String errno) {
        return new UnmappedArea(-1, errno);
    }

    public boolean ok() {
        return errno == null;
    }
}
