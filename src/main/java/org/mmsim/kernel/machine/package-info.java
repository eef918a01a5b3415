/**
 * The machine as a whole: its configuration ({@link org.mmsim.kernel.machine.MachineConfig}),
 * named presets, the architecture's paging geometry ({@link org.mmsim.kernel.machine.Arch}) and
 * {@link org.mmsim.kernel.machine.Machine}, which boots the subsystems and applies operations.
 * Mirrors what {@code arch/x86/kernel/setup.c} and {@code init/main.c} decide at boot.
 */
package org.mmsim.kernel.machine;
