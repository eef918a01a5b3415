package org.mmsim.kernel.replacement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmsim.kernel.KernelInputException;

/** The reference-string exercise as the textbooks work it, and its conventions (see package-info). */
class ReplacementSimulatorTest {

    /** The string of Belady's anomaly (Silberschatz fig. 10.13, Tanenbaum fig. 3-19). */
    private static final int[] BELADY = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};

    private static Simulation run(Policy policy, int frames, int... refs) {
        return ReplacementSimulator.simulate(policy, frames, refs);
    }

    private static List<List<Integer>> frameColumns(Simulation s) {
        return s.steps().stream().map(Step::frames).toList();
    }

    @ParameterizedTest(name = "{0} with {1} frames: {2} faults")
    @CsvSource({
        "FIFO, 3, 9", "FIFO, 4, 10",
        "LRU, 3, 10", "LRU, 4, 8",
        "OPT, 3, 7", "OPT, 4, 6",
        // With the new page's bit set to 1 every fault on this string finds all bits set or the
        // oldest page at bit 0, so CLOCK evicts exactly as FIFO does, anomaly included.
        "CLOCK, 3, 9", "CLOCK, 4, 10"})
    void theBeladyStringGivesTheTextbookFaultCounts(Policy policy, int frames, int faults) {
        Simulation s = run(policy, frames, BELADY);
        assertThat(s.faults()).isEqualTo(faults);
        assertThat(s.hits()).isEqualTo(BELADY.length - faults);
        assertThat(s.steps()).hasSize(BELADY.length);
        assertThat(s.faultRate()).isEqualTo((double) faults / BELADY.length);
    }

    @Test
    void fifoShowsBeladysAnomalyMoreFramesMoreFaults() {
        assertThat(run(Policy.FIFO, 4, BELADY).faults()).isGreaterThan(run(Policy.FIFO, 3, BELADY).faults());
    }

    @Test
    void fifoTraceKeepsEachPageInTheSlotItWasLoadedInto() {
        Simulation s = run(Policy.FIFO, 3, BELADY);
        assertThat(frameColumns(s)).containsExactly(
                List.of(1), List.of(1, 2), List.of(1, 2, 3),
                List.of(4, 2, 3), List.of(4, 1, 3), List.of(4, 1, 2),
                List.of(5, 1, 2), List.of(5, 1, 2), List.of(5, 1, 2),
                List.of(5, 3, 2), List.of(5, 3, 4), List.of(5, 3, 4));
        assertThat(s.steps()).extracting(Step::hit).containsExactly(
                false, false, false, false, false, false, false, true, true, false, false, true);
        assertThat(s.steps()).extracting(Step::evicted).containsExactly(
                null, null, null, 1, 2, 3, 4, null, null, 1, 2, null);
        assertThat(s.steps()).extracting(Step::slot).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2, 1, 2, 0);
        Step fourth = s.steps().get(3);
        assertThat(fourth.time()).isEqualTo(3);
        assertThat(fourth.ref()).isEqualTo(4);
        assertThat(fourth.victimReason()).isEqualTo("page 1 was loaded first (at time 0) of the pages in memory");
        assertThat(fourth.loadedAt()).containsExactly(3, 1, 2);
        assertThat(fourth.lastUsed()).isNull();
        assertThat(fourth.hand()).isNull();
        assertThat(s.steps().get(0).victimReason()).isNull();
    }

    @Test
    void lruEvictsTheLeastRecentlyUsedAndShowsLastUse() {
        Simulation s = run(Policy.LRU, 3, BELADY);
        assertThat(s.steps()).extracting(Step::evicted).containsExactly(
                null, null, null, 1, 2, 3, 4, null, null, 5, 1, 2);
        Step seventh = s.steps().get(6);
        assertThat(seventh.frames()).containsExactly(5, 1, 2);
        assertThat(seventh.lastUsed()).containsExactly(6, 4, 5);
        assertThat(seventh.victimReason()).isEqualTo("page 4 was used least recently (at time 3)");
    }

    @Test
    void optEvictsThePageUsedFarthestAheadAndNeverUsedAgainFirst() {
        Simulation s = run(Policy.OPT, 3, BELADY);
        assertThat(frameColumns(s)).containsExactly(
                List.of(1), List.of(1, 2), List.of(1, 2, 3),
                List.of(1, 2, 4), List.of(1, 2, 4), List.of(1, 2, 4),
                List.of(1, 2, 5), List.of(1, 2, 5), List.of(1, 2, 5),
                List.of(3, 2, 5), List.of(4, 2, 5), List.of(4, 2, 5));
        Step fourth = s.steps().get(3);
        assertThat(fourth.evicted()).isEqualTo(3);
        assertThat(fourth.victimReason()).isEqualTo("page 3 is referenced again farthest in the future (at time 9)");
        assertThat(fourth.nextUse()).containsExactly(4, 5, 10);
        Step tenth = s.steps().get(9);
        assertThat(tenth.evicted()).isEqualTo(1);
        assertThat(tenth.victimReason()).isEqualTo("page 1 is never referenced again (the lowest slot of 2 such pages)");
        assertThat(tenth.nextUse()).containsExactly(null, null, 11);
        // At time 10 pages 3 and 2 are both never referenced again: the lower slot (0, page 3) goes.
        assertThat(s.steps().get(10).evicted()).isEqualTo(3);
    }

    @Test
    void optBreaksNeverUsedAgainTiesByLowestSlot() {
        Simulation s = run(Policy.OPT, 3, 7, 8, 9, 1);
        assertThat(s.steps().get(3).evicted()).isEqualTo(7);
        assertThat(s.steps().get(3).slot()).isZero();
    }

    @Test
    void clockTraceShowsHandAndReferenceBits() {
        Simulation s = run(Policy.CLOCK, 3, BELADY);
        assertThat(frameColumns(s)).containsExactly(
                List.of(1), List.of(1, 2), List.of(1, 2, 3),
                List.of(4, 2, 3), List.of(4, 1, 3), List.of(4, 1, 2),
                List.of(5, 1, 2), List.of(5, 1, 2), List.of(5, 1, 2),
                List.of(5, 3, 2), List.of(5, 3, 4), List.of(5, 3, 4));
        assertThat(s.steps()).extracting(Step::hand).containsExactly(1, 2, 0, 1, 2, 0, 1, 1, 1, 2, 0, 0);
        assertThat(s.steps()).extracting(Step::referenceBits).containsExactly(
                List.of(1), List.of(1, 1), List.of(1, 1, 1),
                List.of(1, 0, 0), List.of(1, 1, 0), List.of(1, 1, 1),
                List.of(1, 0, 0), List.of(1, 1, 0), List.of(1, 1, 1),
                List.of(0, 1, 0), List.of(0, 1, 1), List.of(1, 1, 1));
        assertThat(s.steps().get(3).victimReason()).isEqualTo(
                "the hand cleared the reference bit of 3 pages (a second chance) and stopped at slot 0, whose bit was 0");
        assertThat(s.steps().get(4).victimReason()).isEqualTo("the hand was at slot 1, whose reference bit was 0");
    }

    @Test
    void clockGivesARecentlyHitPageASecondChance() {
        // After 4 evicts 1 the bits are 1,0,0 with the hand at slot 1; the hit on 2 sets its bit,
        // so 5 skips 2 (clearing its bit) and evicts 3, where FIFO would evict 2.
        Simulation s = run(Policy.CLOCK, 3, 1, 2, 3, 4, 2, 5);
        assertThat(s.steps().get(5).evicted()).isEqualTo(3);
        assertThat(s.steps().get(5).frames()).containsExactly(4, 2, 5);
        assertThat(run(Policy.FIFO, 3, 1, 2, 3, 4, 2, 5).steps().get(5).evicted()).isEqualTo(2);
    }

    @Test
    void randomIsDeterministicBySeedAndStaysInRange() {
        int[] refs = randomString(new SplittableRandom(42), 500, 12);
        Simulation a = ReplacementSimulator.simulate(Policy.RANDOM, 4, refs, 7);
        Simulation b = ReplacementSimulator.simulate(Policy.RANDOM, 4, refs, 7);
        assertThat(a).isEqualTo(b);
        assertThat(a.seed()).isEqualTo(7);
        boolean differs = false;
        for (long seed = 0; seed < 10 && !differs; seed++) {
            differs = !ReplacementSimulator.simulate(Policy.RANDOM, 4, refs, seed).steps().equals(a.steps());
        }
        assertThat(differs).as("some other seed gives another run").isTrue();
        assertThat(ReplacementSimulator.simulate(Policy.RANDOM, 4, refs).seed())
                .isEqualTo(ReplacementSimulator.DEFAULT_SEED);
        for (Step step : a.steps()) {
            assertThat(step.frames()).hasSizeLessThanOrEqualTo(4).doesNotHaveDuplicates().contains(step.ref());
            assertThat(step.frames().get(step.slot())).isEqualTo(step.ref());
        }
        assertThat(a.faults()).isBetween(run(Policy.OPT, 4, refs).faults(), refs.length);
    }

    @Test
    void compulsoryMissesOnlyWhenEverythingFits() {
        for (Policy p : Policy.values()) {
            Simulation s = run(p, 5, BELADY);
            assertThat(s.faults()).as(p.name()).isEqualTo(5);
            assertThat(s.steps()).extracting(Step::evicted).as(p.name()).containsOnlyNulls();
        }
    }

    @Test
    void oneFrameFaultsOnEveryChangeOfPage() {
        for (Policy p : Policy.values()) {
            assertThat(run(p, 1, 1, 1, 2, 2, 1).faults()).as(p.name()).isEqualTo(3);
        }
    }

    /** OPT is optimal: no policy faults less on any string, checked on seeded random strings. */
    @Test
    void optIsNeverWorseThanAnyPolicyOnRandomStrings() {
        SplittableRandom random = new SplittableRandom(2024);
        for (int trial = 0; trial < 300; trial++) {
            int frames = 1 + random.nextInt(8);
            int[] refs = randomString(random, 1 + random.nextInt(200), 1 + random.nextInt(16));
            int opt = run(Policy.OPT, frames, refs).faults();
            for (Policy p : Policy.values()) {
                assertThat(ReplacementSimulator.simulate(p, frames, refs, trial).faults())
                        .as("%s, %d frames, %s", p, frames, Arrays.toString(refs))
                        .isGreaterThanOrEqualTo(opt);
            }
        }
    }

    /** LRU and OPT are stack algorithms: one more frame never costs a fault (no Belady's anomaly). */
    @Test
    void stackAlgorithmsNeverFaultMoreWithMoreFrames() {
        SplittableRandom random = new SplittableRandom(6);
        for (int trial = 0; trial < 200; trial++) {
            int[] refs = randomString(random, 1 + random.nextInt(100), 1 + random.nextInt(10));
            for (Policy p : List.of(Policy.LRU, Policy.OPT)) {
                for (int frames = 1; frames < 8; frames++) {
                    assertThat(run(p, frames + 1, refs).faults()).as("%s %s", p, Arrays.toString(refs))
                            .isLessThanOrEqualTo(run(p, frames, refs).faults());
                }
            }
        }
    }

    @Test
    void policyNamesAreCaseInsensitive() {
        assertThat(Policy.parse("clock")).isEqualTo(Policy.CLOCK);
        assertThat(Policy.parse(" Opt ")).isEqualTo(Policy.OPT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'LFU'", "''"})
    void unknownOrMissingPolicyNamesThePolicyField(String name) {
        assertThatThrownBy(() -> Policy.parse(name)).isInstanceOf(KernelInputException.class)
                .extracting(e -> ((KernelInputException) e).field()).isEqualTo("policy");
        assertThatThrownBy(() -> Policy.parse(null)).isInstanceOf(KernelInputException.class);
    }

    @Test
    void badInputNamesTheField() {
        assertField(() -> run(Policy.FIFO, 0, 1), "frames");
        assertField(() -> run(Policy.FIFO, ReplacementSimulator.MAX_FRAMES + 1, 1), "frames");
        assertField(() -> run(Policy.FIFO, 3), "references");
        assertField(() -> ReplacementSimulator.simulate(Policy.FIFO, 3, null), "references");
        assertField(() -> run(Policy.FIFO, 1, new int[ReplacementSimulator.MAX_REFERENCES + 1]), "references");
        assertField(() -> run(Policy.FIFO, 1000, new int[1001]), "references");
        assertField(() -> run(Policy.FIFO, 3, 1, 2, -3), "references[2]");
        assertField(() -> ReplacementSimulator.simulate(null, 3, BELADY), "policy");
    }

    @Test
    void theLargestAllowedRunsFinish() {
        int[] refs = randomString(new SplittableRandom(1), ReplacementSimulator.MAX_REFERENCES, 50);
        assertThat(run(Policy.OPT, 10, refs).steps()).hasSize(ReplacementSimulator.MAX_REFERENCES);
        int[] wide = randomString(new SplittableRandom(2), ReplacementSimulator.MAX_TABLE_CELLS / 1024, 5000);
        assertThat(run(Policy.CLOCK, 1024, wide).steps()).hasSize(wide.length);
    }

    private static void assertField(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOf(KernelInputException.class)
                .extracting(e -> ((KernelInputException) e).field()).isEqualTo(field);
    }

    private static int[] randomString(SplittableRandom random, int length, int pages) {
        int[] refs = new int[length];
        for (int i = 0; i < length; i++) {
            refs[i] = random.nextInt(pages);
        }
        return refs;
    }
}
