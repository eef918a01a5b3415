package org.mmsim.kernel.replacement;

/** The slot a policy evicts from, and why, in words for the step table. */
record Victim(int slot, String reason) {
}
