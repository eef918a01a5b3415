/**
 * Text renderers for {@code /proc} files and the {@code numastat} tool, byte-compatible with
 * the kernel's output: pure functions of {@link org.mmsim.kernel.phys.PhysicalMemory}'s views.
 * Mirrors mm/vmstat.c ({@code frag_show_print}, {@code pagetypeinfo_show},
 * {@code zoneinfo_show_print}, {@code vmstat_show}), fs/proc/meminfo.c and numactl's numastat.c.
 */
package org.mmsim.kernel.procfs;
