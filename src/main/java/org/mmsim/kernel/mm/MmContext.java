package org.mmsim.kernel.mm;

import org.mmsim.kernel.numa.TaskContext;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * What a system call or fault of one task works with besides its {@code mm}: {@code current}'s
 * NUMA state and CPU, physical memory, the open files, the machine's event counters and its
 * overcommit accounting.
 */
public record MmContext(PhysicalMemory phys, TaskContext task, int cpu, FileTable files, VmCounters events,
                        Overcommit overcommit) {
}
