package org.mmsim.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.paging.Pte;
import org.mmsim.kernel.task.Task;
import io.swagger.v3.oas.annotations.media.Schema;
import org.mmsim.kernel.machine.Machine;

/** The state of a machine bundled for time travel: what the inspect views show, in one document. */
@Schema(description = "The machine's state: the same shapes as the live inspect views, bundled.")
record MachineState(
        @Schema(description = "Operations applied since boot.") long operationsApplied,
        @Schema(description = "What GET …/machine shows.") MachineView machine,
        @Schema(description = "Every process: what GET …/processes/{pid} and …/vmas show, and its present PTEs.")
        List<ProcessState> processes,
        @Schema(description = "What GET …/kernel/slabs shows.") SlabController.SlabsView slabs,
        @Schema(description = "The vmalloc areas, as /proc/vmallocinfo lists them.") List<VmallocArea> vmallocAreas) {

    @Schema(description = "A vmalloc area: its range (with the guard page) and its frames in address order.")
    record VmallocArea(String address, String end, long size, List<Long> pfns) {
    }

    /** PTEs listed per process; a process with more shows the first ones and says so. */
    static final int MAX_PTES = 1024;

    @Schema(description = "A process, its VMAs and (up to 1024 of) its present page-table entries.")
    record ProcessState(ProcessView process, List<VirtualMemoryController.VmaView> vmas,
                        @Schema(description = "Address → PTE in hex, in address order.") Map<String, String> ptes,
                        @Schema(description = "Whether ptes stops at 1024 entries.") boolean ptesTruncated) {
    }

    static MachineState from(Machine m) {
        List<ProcessState> processes = new ArrayList<>();
        for (Task t : m.processes().tasks().all()) {
            MmStruct mm = t.mm();
            if (mm == null) {
                processes.add(new ProcessState(ProcessView.from(m, t), List.of(), Map.of(), false));
                continue;
            }
            Map<String, String> ptes = new LinkedHashMap<>();
            boolean[] truncated = {false};
            mm.pgd().forEachPte(0, mm.taskSizeMax(), (va, pte) -> {
                if (ptes.size() < MAX_PTES) {
                    ptes.put(Sizes.hex(va), Pte.hex(pte, mm.pgd().arch()));
                } else {
                    truncated[0] = true;
                }
            });
            processes.add(new ProcessState(ProcessView.from(m, t),
                    VirtualMemoryController.vmaViews(m.phys().zeroPfn(), mm), ptes, truncated[0]));
        }
        List<VmallocArea> areas = m.vmalloc().areas().stream().map(a -> new VmallocArea(Sizes.hex(a.address()),
                Sizes.hex(a.end()), a.size(), java.util.Arrays.stream(a.pfns()).boxed().toList())).toList();
        return new MachineState(m.operationsApplied(), MachineView.from(m), processes, SlabController.SlabsView.from(m),
                areas);
    }
}
