package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.mmsim.kernel.procfs.Extfrag;
import org.mmsim.session.SessionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** debugfs files the kernel's mm code exports, at their /sys/kernel/debug paths, as {@code text/plain}. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}/sys/kernel/debug", produces = "text/plain;charset=UTF-8")
@Tag(name = "/proc", description = "The kernel's own text views: the same bytes a real machine prints.")
class DebugfsController {

    private final SessionService sessions;

    DebugfsController(SessionService sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/extfrag/unusable_index")
    @Operation(operationId = "debugfsUnusableIndex",
            summary = "/sys/kernel/debug/extfrag/unusable_index: unusable free space index per order",
            description = "One line per populated zone: \"Node %d, zone %8s \" then, for orders 0..10, "
                    + "unusable_free_index printed \"%d.%03d \" (mm/vmstat.c unusable_show_print): the share of free "
                    + "memory in blocks smaller than the order.")
    String unusableIndex(@PathVariable String sid) {
        return sessions.read(sid, m -> Extfrag.unusableIndex(m.phys()));
    }

    @GetMapping("/extfrag/extfrag_index")
    @Operation(operationId = "debugfsExtfragIndex",
            summary = "/sys/kernel/debug/extfrag/extfrag_index: external fragmentation index per order",
            description = "One line per populated zone, __fragmentation_index printed \"%2d.%03d \" for orders 0..10 "
                    + "(mm/vmstat.c extfrag_show_print): -1.000 where the allocation would succeed; towards 0 a "
                    + "failure for lack of memory, towards 1 for fragmentation.")
    String extfragIndex(@PathVariable String sid) {
        return sessions.read(sid, m -> Extfrag.extfragIndex(m.phys()));
    }
}
