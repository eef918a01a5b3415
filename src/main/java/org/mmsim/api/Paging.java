package org.mmsim.api;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Page parameters checked once: page from 0, size 1..200. */
final class Paging {

    static final int MAX_SIZE = 200;

    private Paging() {
    }

    /** The offset/limit pair of the list views (free lists, LRU lists): offset from 0, limit 0..4096. */
    static void checkOffsetLimit(long offset, int limit) {
        if (offset < 0) {
            throw new ApiInputException("offset", "offset must be 0 or more");
        }
        if (limit < 0 || limit > 4096) {
            throw new ApiInputException("limit", "limit must be between 0 and 4096");
        }
    }

    static PageRequest of(int page, int size, Sort sort) {
        if (page < 0) {
            throw new ApiInputException("page", "page must be 0 or more, got " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new ApiInputException("size", "size must be between 1 and " + MAX_SIZE + ", got " + size);
        }
        return PageRequest.of(page, size, sort);
    }
}
