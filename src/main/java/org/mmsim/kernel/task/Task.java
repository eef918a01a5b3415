package org.mmsim.kernel.task;

import org.mmsim.kernel.libc.Malloc;
import org.mmsim.kernel.mm.MmStruct;
import org.mmsim.kernel.numa.TaskContext;

/**
 * A process: the parts of {@code struct task_struct} (include/linux/sched.h) memory
 * management needs — pid, parent, {@code comm}, state and exit status, the CPU it runs on, its
 * NUMA policy state, its {@code mm}, the fault counters {@code min_flt}/{@code maj_flt} — plus
 * the user-space allocator state of its C library (glibc's main arena).
 */
public final class Task {
    /** Where a process is in its life. */
    public enum State {
        RUNNING("running"), ZOMBIE("zombie"), EXITED("exited"), KILLED("killed");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    final int pid;
    int ppid;
    String comm;
    State state = State.RUNNING;
    int exitCode;
    String exitSignal;
    String killReason;
    int cpu;
    final TaskContext numa = new TaskContext();
    MmStruct mm;
    Malloc malloc;
    long minFlt;
    long majFlt;
    Image image;
    /** {@code signal->oom_score_adj}, -1000..1000: inherited by fork, kept across exec. */
    int oomScoreAdj;

    Task(int pid, int ppid, String comm, int cpu, Image image) {
        this.pid = pid;
        this.ppid = ppid;
        this.comm = comm;
        this.cpu = cpu;
        this.image = image;
    }

    public int pid() {
        return pid;
    }

    public int ppid() {
        return ppid;
    }

    /** {@code comm}: the name (at most 15 characters, {@code TASK_COMM_LEN − 1}). */
    public String comm() {
        return comm;
    }

    public State state() {
        return state;
    }

    public boolean alive() {
        return state == State.RUNNING;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The signal that killed it ({@code "SIGSEGV"}, {@code "SIGKILL"}), or null. */
    public String exitSignal() {
        return exitSignal;
    }

    /** Why it was killed ({@code "oom"}), or null. */
    public String killReason() {
        return killReason;
    }

    public int cpu() {
        return cpu;
    }

    public TaskContext numa() {
        return numa;
    }

    /** Its address space, or null once it has exited. */
    public MmStruct mm() {
        return mm;
    }

    public Malloc malloc() {
        return malloc;
    }

    public long minFlt() {
        return minFlt;
    }

    public long majFlt() {
        return majFlt;
    }

    public Image image() {
        return image;
    }

    /** {@code oom_score_adj}: added to the OOM badness in thousandths of RAM + swap; -1000 means never kill. */
    public int oomScoreAdj() {
        return oomScoreAdj;
    }
}
