/**
 * The classic page-replacement exercise of operating-systems courses: a reference string run
 * against a fixed number of page frames under FIFO, LRU, OPT (Belady's MIN), CLOCK (second
 * chance) or RANDOM, with the full step-by-step table. It is a teaching tool, independent of the
 * simulated machine: it mirrors the textbooks (Silberschatz, <i>Operating System Concepts</i>,
 * ch. 10; Tanenbaum, <i>Modern Operating Systems</i>, sec. 3.4), not a kernel file. {@link
 * org.mmsim.kernel.replacement.ReplacementSimulator} is the entry point.
 *
 * <p>Conventions, the same for every policy:
 * <ul>
 *   <li><b>Time</b> is the index into the reference string, from 0.</li>
 *   <li><b>Slot order.</b> Frames are slots 0..frames-1. Free slots are filled from slot 0 up, and a
 *       page stays in the slot it was loaded into until it is evicted; its successor takes that
 *       same slot. A step's {@code frames} lists the slots in order, like a column of the textbook
 *       table; while memory is not yet full it lists only the slots filled so far.</li>
 *   <li>A reference to a page in memory is a <b>hit</b>; otherwise a <b>fault</b>, which takes the
 *       lowest free slot, or when none is left evicts the policy's victim.</li>
 *   <li><b>FIFO</b> evicts the page loaded earliest; <b>LRU</b> the page whose last reference is
 *       oldest; <b>OPT</b> the page whose next reference is farthest in the future, a page never
 *       referenced again before any other, ties (several never referenced again) to the lowest
 *       slot; <b>RANDOM</b> a slot drawn with {@link java.util.SplittableRandom} from the seed
 *       (default {@value org.mmsim.kernel.replacement.ReplacementSimulator#DEFAULT_SEED}), so the
 *       same seed gives the same run.</li>
 *   <li><b>CLOCK</b> keeps a reference bit per slot and a hand. A hit sets the page's bit and does
 *       not move the hand. A fault with free slots loads the page into the lowest free slot. A fault
 *       with memory full looks at the slot under the hand: bit 1 is cleared (a second chance) and
 *       the hand moves on, until a slot with bit 0 is found; its page is evicted. Either way the
 *       new page gets bit 1, since the faulting access references it (the hardware-set bit of
 *       Silberschatz's second-chance algorithm; Stallings's "use bit set to 1 when first
 *       loaded"), and the hand moves to the slot after it (Tanenbaum's clock: "the new page is
 *       inserted into the clock in its place, and the hand is advanced one position"). The hand
 *       starts at slot 0, so it is back at slot 0 when memory has just become full.</li>
 * </ul>
 */
package org.mmsim.kernel.replacement;
