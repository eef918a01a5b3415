/**
 * The simulation core: a Linux memory-management machine in plain Java 17. No framework, no I/O
 * beyond byte arrays, no wall clock, no unseeded randomness; every other package depends on this
 * one and it depends on nothing but {@code java.*}. One sub-package per kernel subsystem, each
 * naming the kernel files it mirrors.
 */
package org.mmsim.kernel;
