package org.mmsim.api;

import io.swagger.v3.oas.annotations.media.Schema;
import org.mmsim.kernel.machine.Machine;

/** The state of a machine bundled for time travel: what the inspect views show, in one document. */
@Schema(description = "The machine's state: the same shapes as the live inspect views, bundled.")
record MachineState(
        @Schema(description = "Operations applied since boot.") long operationsApplied,
        @Schema(description = "What GET …/machine shows.") MachineView machine) {

    static MachineState from(Machine m) {
        return new MachineState(m.operationsApplied(), MachineView.from(m));
    }
}
