package org.mmsim.kernel.journal;

import java.util.Arrays;

/** Every operation kind by its journal name, so a stored journal can be read back. */
public enum OperationType {
    ALLOC_PAGES("alloc_pages", AllocPages.class),
    FREE_PAGES("free_pages", FreePages.class),
    CREATE_PROCESS("create_process", CreateProcess.class),
    EXIT("exit", Exit.class),
    MMAP("mmap", Mmap.class),
    MUNMAP("munmap", Munmap.class),
    MPROTECT("mprotect", Mprotect.class),
    BRK("brk", Brk.class),
    SBRK("sbrk", Sbrk.class),
    SET_MEMPOLICY("set_mempolicy", SetMempolicy.class),
    MBIND("mbind", Mbind.class),
    TOUCH("touch", Touch.class),
    MALLOC("malloc", Malloc.class),
    FREE("free", Free.class),
    MALLOPT("mallopt", Mallopt.class),
    FORK("fork", Fork.class),
    EXEC("exec", Exec.class),
    WAIT("wait", Wait.class),
    KMALLOC("kmalloc", Kmalloc.class),
    KFREE("kfree", Kfree.class),
    VMALLOC("vmalloc", Vmalloc.class),
    VFREE("vfree", Vfree.class),
    SET_OOM_SCORE_ADJ("set_oom_score_adj", SetOomScoreAdj.class);

    private final String journalName;
    private final Class<? extends Operation> recordClass;

    OperationType(String journalName, Class<? extends Operation> recordClass) {
        this.journalName = journalName;
        this.recordClass = recordClass;
    }

    public String journalName() {
        return journalName;
    }

    public Class<? extends Operation> recordClass() {
        return recordClass;
    }

    /** The kind stored under {@code name}, or {@code null}. */
    public static OperationType byName(String name) {
        return Arrays.stream(values()).filter(t -> t.journalName.equals(name)).findFirst().orElse(null);
    }
}
