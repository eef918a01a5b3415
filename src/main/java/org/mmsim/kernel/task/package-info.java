/**
 * Processes: {@code struct task_struct} in miniature ({@link org.mmsim.kernel.task.Task}), the
 * pid table with the simulated init, program loading ({@code load_elf_binary()},
 * fs/binfmt_elf.c, with {@code setup_new_exec()}/{@code arch_pick_mmap_layout()} from
 * arch/x86/mm/mmap.c and {@code setup_arg_pages()} from fs/exec.c) and exit
 * ({@code exit_mmap()}, mm/mmap.c), and the OOM killer ({@link org.mmsim.kernel.task.OomKiller}:
 * mm/oom_kill.c, {@code proc_oom_score} of fs/proc/base.c).
 */
package org.mmsim.kernel.task;
