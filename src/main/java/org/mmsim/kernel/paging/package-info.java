/**
 * Page tables: the x86 PTE format and its accessors, and a process's radix tree of table pages
 * (pgd, p4d, pud, pmd, pte — only the levels the profile really has) whose pages are frames of
 * the simulated machine. Covers the allocation on the way down ({@code pud_alloc},
 * {@code pmd_alloc}, {@code pte_alloc}), {@code free_pgd_range} with its floor/ceiling rules,
 * {@code mm_pgtables_bytes} (VmPTE), the MMU walk shown by translate, and {@code
 * vm_get_page_prot}. Mirrors arch/x86/include/asm/pgtable_types.h, pgtable_64_types.h,
 * pgtable-2level_types.h, arch/x86/include/asm/pgtable.h, arch/x86/mm/pgprot.c,
 * include/linux/pgtable.h and the page-table parts of mm/memory.c. {@link
 * org.mmsim.kernel.paging.PageTable} and {@link org.mmsim.kernel.paging.Pte} are the entry
 * points.
 */
package org.mmsim.kernel.paging;
