package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mmsim.kernel.machine.Presets;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The named machine presets. */
@RestController
@Tag(name = "Sessions")
class PresetController {

    @Schema(description = "A named machine config; send its name as preset, or its machine as machine.")
    record PresetResponse(
            @Schema(example = "x86_64-2node-4g") String name,
            String description,
            MachineSpec machine) {
    }

    @GetMapping(path = "/api/v1/presets", produces = "application/json")
    @Operation(operationId = "listPresets", summary = "The named machine presets with their configs")
    List<PresetResponse> presets() {
        return Presets.all().stream()
                .map(p -> new PresetResponse(p.name(), p.description(), MachineSpec.from(p.machine())))
                .toList();
    }
}
