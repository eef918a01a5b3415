/**
 * Physical memory: the boot memory map, nodes and zones, the per-zone buddy allocator with
 * migratetype free lists, GFP flags, zonelists, watermarks and lowmem_reserve, the page
 * allocator's fast and slow paths with NUMA policy and numastat accounting, and {@code struct
 * page} metadata kept only for frames in use. Mirrors mm/page_alloc.c, mm/mm_init.c,
 * mm/memblock.c, arch/x86/mm/init.c, include/linux/mmzone.h, include/linux/gfp.h and
 * include/linux/gfp_types.h. {@link org.mmsim.kernel.phys.PhysicalMemory} is the entry point.
 */
package org.mmsim.kernel.phys;
