package org.mmsim.kernel.journal;

/** What an operation did: one record per operation kind, shown to the client and journaled. */
public sealed interface OperationResult permits AllocPages.Result, FreePages.Result {
}
