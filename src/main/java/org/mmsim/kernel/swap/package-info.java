/**
 * The swap device, mm/swapfile.c: {@link org.mmsim.kernel.swap.SwapInfo} is one
 * {@code swap_info_struct} with its {@code swap_map} of per-slot counts and the 256-slot cluster
 * allocator. The PTE side of a swap entry is {@link org.mmsim.kernel.paging.Pte#swpEntry}.
 */
package org.mmsim.kernel.swap;
