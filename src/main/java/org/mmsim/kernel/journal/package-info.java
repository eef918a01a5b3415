/**
 * Operations: one immutable record per change a client can make to a machine, a deterministic
 * {@code applyTo}, and one result record per outcome. The session layer journals them in the
 * database; replaying a journal on a freshly booted machine gives the same state byte for byte.
 */
package org.mmsim.kernel.journal;
