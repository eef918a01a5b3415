package org.mmsim.kernel.libc;

/**
 * glibc's {@code malloc_printerr()}: the allocator found its heap in a state it cannot continue
 * from and calls {@code abort()}, so the process dies of SIGABRT. The message is glibc's.
 */
public final class MallocAbort extends RuntimeException {

    public MallocAbort(String glibcMessage) {
        super(glibcMessage);
    }
}
