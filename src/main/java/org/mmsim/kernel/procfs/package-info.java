/**
 * Text renderers for {@code /proc} files and the {@code numastat} tool, byte-compatible with
 * the kernel's output: pure functions of a {@link org.mmsim.kernel.machine.Machine} (or of its
 * {@link org.mmsim.kernel.phys.PhysicalMemory} views). Machine-wide files mirror mm/vmstat.c
 * ({@code frag_show_print}, {@code pagetypeinfo_show}, {@code zoneinfo_show_print},
 * {@code vmstat_show}), fs/proc/meminfo.c and numactl's numastat.c, with the process layer's
 * page counters recounted by {@link org.mmsim.kernel.procfs.PageCounters}; per-process files
 * mirror fs/proc/task_mmu.c ({@code show_map_vma}, {@code show_smap}, {@code show_smaps_rollup},
 * {@code show_numa_map}, {@code task_mem}) and fs/proc/array.c ({@code proc_pid_status}).
 */
package org.mmsim.kernel.procfs;
