/**
 * Wiring: the {@code mmsim.*} configuration properties and the beans that connect the core to the
 * adapters. The core itself has no annotations; it is built here or by the session layer.
 */
package org.mmsim.config;
