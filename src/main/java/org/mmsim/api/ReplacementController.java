package org.mmsim.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.mmsim.kernel.replacement.Policy;
import org.mmsim.kernel.replacement.ReplacementSimulator;
import org.mmsim.kernel.replacement.Simulation;
import org.mmsim.kernel.replacement.Step;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The stateless page-replacement exercise: a reference string, a number of frames, a policy. No session. */
@RestController
@Tag(name = "Teaching tools", description = "Stateless exercises of the course, independent of any session.")
class ReplacementController {

    @Schema(description = "A reference string to run against a number of page frames, all free at the start.")
    record SimulateRequest(
            @Schema(description = "FIFO, LRU, OPT, CLOCK or RANDOM (case-insensitive).", example = "FIFO")
            String policy,
            @Schema(description = "Number of page frames, 1.." + ReplacementSimulator.MAX_FRAMES + ".", example = "3")
            Integer frames,
            @ArraySchema(arraySchema = @Schema(description = "Page numbers (0 or more) in reference order; 1.."
                    + ReplacementSimulator.MAX_REFERENCES + " of them, and frames × their count at most "
                    + ReplacementSimulator.MAX_TABLE_CELLS + "."))
            List<Integer> references,
            @Schema(description = "Seed of RANDOM's generator; the same seed gives the same run. Other policies "
                    + "ignore it.", defaultValue = "" + ReplacementSimulator.DEFAULT_SEED, example = "1")
            Long seed) {
    }

    @Schema(description = "The run: counts, and one step per reference like a column of the textbook table.")
    record SimulateResponse(
            @Schema(description = "The policy, by its canonical name.", example = "FIFO",
                    allowableValues = {"FIFO", "LRU", "OPT", "CLOCK", "RANDOM"})
            String policy,
            @Schema(description = "Number of page frames.", example = "3") int frames,
            @Schema(description = "The seed RANDOM used (the default when none was sent).", example = "0") long seed,
            @Schema(description = "References that missed, including the first load of each page.", example = "9")
            int faults,
            @Schema(description = "References that found their page in memory.", example = "3") int hits,
            @Schema(description = "faults / references.", example = "0.75") double faultRate,
            List<StepResponse> steps) {

        static SimulateResponse from(Simulation s) {
            return new SimulateResponse(s.policy().name(), s.frames(), s.seed(), s.faults(), s.hits(), s.faultRate(),
                    s.steps().stream().map(StepResponse::from).toList());
        }
    }

    @Schema(description = "One reference and the frames after it. Lists are by slot: slot 0 first; free slots fill "
            + "from 0 up and a page stays in its slot until evicted, so while memory is not yet full the lists are "
            + "shorter than the frame count. The policy's own columns appear only for that policy.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StepResponse(
            @Schema(description = "Index of this reference in references, from 0.", example = "3") int time,
            @Schema(description = "The page referenced.", example = "4") int ref,
            @Schema(description = "Whether the page was in memory.") boolean hit,
            @Schema(description = "The slot that holds ref after this step.", example = "0") int slot,
            @Schema(types = {"integer", "null"}, description = "The page evicted to make room; null on a hit or "
                    + "when a free slot was taken.", example = "1")
            @JsonInclude(JsonInclude.Include.ALWAYS)
            Integer evicted,
            @Schema(description = "Why that page was the victim; absent when nothing was evicted.",
                    example = "page 1 was loaded first (at time 0) of the pages in memory")
            String victimReason,
            @ArraySchema(arraySchema = @Schema(description = "The page in each filled slot after this step."))
            List<Integer> frames,
            @Schema(description = "CLOCK: the slot the hand points at after this step.", example = "1")
            Integer hand,
            @ArraySchema(arraySchema = @Schema(description = "CLOCK: each slot's reference bit, 0 or 1."))
            List<Integer> referenceBits,
            @ArraySchema(arraySchema = @Schema(description = "FIFO: the time each slot's page was loaded."))
            List<Integer> loadedAt,
            @ArraySchema(arraySchema = @Schema(description = "LRU: the time each slot's page was last referenced."))
            List<Integer> lastUsed,
            @ArraySchema(arraySchema = @Schema(description = "OPT: the time each slot's page is referenced next; "
                    + "null when never again."),
                    schema = @Schema(types = {"integer", "null"}))
            List<Integer> nextUse) {

        static StepResponse from(Step s) {
            return new StepResponse(s.time(), s.ref(), s.hit(), s.slot(), s.evicted(), s.victimReason(), s.frames(),
                    s.hand(), s.referenceBits(), s.loadedAt(), s.lastUsed(), s.nextUse());
        }
    }

    @PostMapping(path = "/api/v1/replacement/simulate", produces = "application/json", consumes = "application/json")
    @Operation(operationId = "simulateReplacement", summary = "Run a page reference string under a replacement policy",
            description = "The classic exercise: FIFO, LRU, OPT (Belady's MIN: the page used farthest ahead goes, "
                    + "one never used again first, ties to the lowest slot), CLOCK (second chance: a hit sets the "
                    + "slot's reference bit; on a fault the hand clears 1 bits until it finds a 0 and evicts there; "
                    + "the new page gets bit 1 and the hand moves past it) or RANDOM (seeded, repeatable). Every "
                    + "step shows the frames in slot order and why the victim was chosen. Stateless: no session, "
                    + "nothing stored.")
    SimulateResponse simulate(@RequestBody SimulateRequest body) {
        Policy policy = Policy.parse(body.policy());
        int frames = OperationRequests.required(body.frames(), "frames");
        long seed = body.seed() == null ? ReplacementSimulator.DEFAULT_SEED : body.seed();
        return SimulateResponse.from(ReplacementSimulator.simulate(policy, frames, references(body.references()), seed));
    }

    private static int[] references(List<Integer> references) {
        if (references == null) {
            return null;
        }
        int[] refs = new int[references.size()];
        for (int i = 0; i < refs.length; i++) {
            Integer page = references.get(i);
            if (page == null) {
                throw new ApiInputException("references[" + i + "]", "references[" + i + "] is null; page numbers "
                        + "are integers, 0 or more");
            }
            refs[i] = page;
        }
        return refs;
    }
}
