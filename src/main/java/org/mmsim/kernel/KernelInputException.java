package org.mmsim.kernel;

/**
 * A request the simulated kernel refuses before touching any state: a caller error (order above
 * {@code MAX_PAGE_ORDER}, freeing a block that is not allocated, an unknown GFP flag). Outcomes
 * that a real kernel produces (ENOMEM, SIGSEGV, an OOM kill) are never thrown: they are results.
 *
 * <p>{@code field} names the offending request field as the client sent it ({@code "order"},
 * {@code "pfn"}, {@code "machine.nodes[1].memory"}), so the HTTP layer can name it in its answer.
 */
public class KernelInputException extends RuntimeException {

    private final String field;

    public KernelInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
