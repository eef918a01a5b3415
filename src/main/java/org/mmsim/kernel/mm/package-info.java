/**
 * Virtual memory areas: {@code struct vm_area_struct}, its flags, and a process's VMA tree — the
 * augmented red-black tree keyed by {@code vm_start} whose nodes carry the largest free gap of
 * their subtree ({@code rb_subtree_gap}), plus the address-ordered list — with {@code find_vma},
 * the free-area searches and {@code get_unmapped_area}'s top-down placement, hints, MAP_FIXED and
 * MAP_FIXED_NOREPLACE. Mirrors mm/mmap.c, lib/rbtree.c, include/linux/rbtree_augmented.h,
 * include/linux/mm.h and include/linux/mm_types.h as of Linux 6.0. Linux replaced this
 * rbtree-and-list pair with the maple tree in 6.1; mmsim keeps the rbtree that the course
 * material describes (its shape is shown by {@code vmas?view=tree}) while following 6.x
 * behaviour, such as clamping the search to {@code mmap_min_addr}. {@link
 * org.mmsim.kernel.mm.VmaTree} is the entry point. Overcommit accounting ({@code VM_ACCOUNT},
 * {@code __vm_enough_memory} of mm/util.c) is {@link org.mmsim.kernel.mm.Overcommit}.
 */
package org.mmsim.kernel.mm;
