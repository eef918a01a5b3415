package org.mmsim.kernel.phys;

import java.util.List;

/**
 * One page frame's {@code struct page} (include/linux/mm_types.h) as the kernel would show it.
 *
 * @param state    {@code "free"}, {@code "allocated"}, {@code "reserved"} or {@code "hole"}
 * @param flags    page flags / page type by kernel name: {@code reserved}, {@code buddy}
 * @param refcount {@code page_ref_count()}: 1 for a reserved frame or an allocated head, 0 otherwise
 * @param mapcount the raw {@code _mapcount}: -1 for a frame no page table maps
 * @param order    the order of the free block (buddy head) or allocated block (head); -1 otherwise
 * @param headPfn  the first pfn of the block the frame belongs to, or -1
 * @param owner    {@code "kernel"} for a kernel allocation, else empty
 * @param migratetype the migratetype of the frame's pageblock
 * @param gfp      the allocation's GFP mask as names, for an allocated block
 */
public record FrameView(long pfn, int nid, String zone, String state, List<String> flags, int refcount,
        int mapcount, int order, long headPfn, String owner, String migratetype, String gfp) {
}
