package org.mmsim.kernel.phys;

/**
 * Machine-wide allocator event counters of {@code enum vm_event_item} (include/linux/vm_event_item.h).
 *
 * @param pgfree        pages freed ({@code PGFREE})
 * @param allocFailures allocations that returned no page
 * @param kswapdWakeups wakeups of a sleeping kswapd by the slow path ({@code wakeup_kswapd} on an unbalanced node)
 */
public record VmEvents(long pgfree, long allocFailures, long kswapdWakeups) {
}
