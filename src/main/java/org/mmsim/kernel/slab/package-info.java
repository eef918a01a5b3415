/**
 * Kernel-side allocators above the buddy allocator: SLUB caches ({@code kmem_cache}, slabs cut
 * into objects, per-node partial lists), {@code kmalloc}/{@code kfree} with the kmalloc size
 * classes, the named caches the simulated kernel itself uses for its processes and VMAs, and
 * {@code vmalloc}/{@code vfree} (order-0 frames mapped virtually contiguously into
 * {@code init_mm}'s page tables). Mirrors mm/slub.c, mm/slab_common.c, mm/slab.h,
 * include/linux/slab.h and mm/vmalloc.c. {@link org.mmsim.kernel.slab.Slub} and
 * {@link org.mmsim.kernel.slab.Vmalloc} are the entry points.
 */
package org.mmsim.kernel.slab;
