/**
 * Sessions: the bounded cache of live machines, the per-session lock, and the path every change
 * takes — lock the session row, apply the operation to the core, append it to the journal, answer.
 * A session that is not in memory is rebuilt from its newest snapshot plus the journal after it.
 */
package org.mmsim.session;
