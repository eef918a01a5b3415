/**
 * The per-CPU TLBs and their flushing: each CPU's translation cache (set-associative, LRU),
 * {@code cpu_tlbstate} with the loaded mm and the dynamic PCIDs ({@code TLB_NR_DYN_ASIDS}),
 * {@code switch_mm_irqs_off} on a context switch, and the flush paths {@code flush_tlb_mm_range},
 * {@code flush_tlb_func} and {@code native_flush_tlb_multi} with their shootdown IPIs and the
 * {@code CONFIG_DEBUG_TLBFLUSH} vmstat counters. Mirrors arch/x86/mm/tlb.c and
 * arch/x86/include/asm/tlbflush.h. {@link org.mmsim.kernel.tlb.CpuTlbs} is the entry point; the
 * MMU walk that fills a TLB is {@link org.mmsim.kernel.fault.Touch}.
 */
package org.mmsim.kernel.tlb;
