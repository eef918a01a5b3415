package org.mmsim.kernel.journal;

import java.util.Arrays;

/** Every operation kind by its journal name, so a stored journal can be read back. */
public enum OperationType {
    ALLOC_PAGES("alloc_pages", AllocPages.class),
    FREE_PAGES("free_pages", FreePages.class);

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
