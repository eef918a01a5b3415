/**
 * NUMA memory policies: {@code struct mempolicy} and its modes (MPOL_DEFAULT, LOCAL, PREFERRED,
 * BIND, INTERLEAVE, PREFERRED_MANY, WEIGHTED_INTERLEAVE), nodemasks as 64-bit masks, the
 * per-task interleave state ({@code il_prev}, {@code il_weight}) and the node choices of
 * {@code interleave_nodes}, {@code interleave_nid} and their weighted variants. Mirrors
 * mm/mempolicy.c and include/uapi/linux/mempolicy.h; the allocator that applies a policy is
 * {@code org.mmsim.kernel.phys.PhysicalMemory}.
 */
package org.mmsim.kernel.numa;
