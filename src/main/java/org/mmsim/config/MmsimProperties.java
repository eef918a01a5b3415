package org.mmsim.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every simulator knob of the service, under {@code mmsim.*}.
 *
 * @param maxMemoryPerSession the most simulated RAM one session's machine may have
 * @param maxNodes            the most NUMA nodes one machine may have
 * @param maxSessions         the most sessions the database may hold
 * @param liveMachines        how many machines stay in memory; others are rebuilt on demand
 * @param snapshotEvery       store a snapshot every this many operations
 * @param maxBatch            the most operations one {@code /ops} batch may carry
 * @param maxSwapPerSession   the largest swap device one machine may have (its cluster bookkeeping costs ~17 bytes per MiB)
 */
@ConfigurationProperties("mmsim")
public record MmsimProperties(
        @DefaultValue("4TB") DataSize maxMemoryPerSession,
        @DefaultValue("64") int maxNodes,
        @DefaultValue("100000") int maxSessions,
        @DefaultValue("256") int liveMachines,
        @DefaultValue("100") int snapshotEvery,
        @DefaultValue("1000") int maxBatch,
        @DefaultValue("64GB") DataSize maxSwapPerSession) {
}
