package org.mmsim.kernel.task;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.mmsim.kernel.KernelInputException;

/**
 * The pid table: every process the machine has run, by pid, in pid order. Pid 1 is the
 * simulated init, parent of the processes a client creates; it has no address space here and
 * reaps its children at once. Exited processes stay listed (state {@code exited} or
 * {@code killed}) so their outcome can be inspected.
 */
public final class TaskTable {
    /** {@code init}'s pid. */
    public static final int INIT_PID = 1;
    /** The first pid a client's process gets (lower pids belong to kernel threads on a real boot). */
    public static final int FIRST_USER_PID = 1000;
    /** {@code pid_max}'s default. */
    public static final int PID_MAX = 32768;

    private final TreeMap<Integer, Task> tasks = new TreeMap<>();
    private int lastPid = FIRST_USER_PID - 1;

    Task add(int ppid, String comm, int cpu, Image image) {
        if (lastPid + 1 >= PID_MAX) {
            throw new KernelInputException("pid", "pid space exhausted (pid_max " + PID_MAX + ")");
        }
        Task t = new Task(++lastPid, ppid, comm, cpu, image);
        tasks.put(t.pid, t);
        return t;
    }

    /** Restores a saved task (snapshots). */
    Task restore(int pid, int ppid, String comm, int cpu, Image image) {
        Task t = new Task(pid, ppid, comm, cpu, image);
        tasks.put(pid, t);
        lastPid = Math.max(lastPid, pid);
        return t;
    }

    /** Forgets a process whose creation failed. */
    void remove(int pid) {
        tasks.remove(pid);
        if (pid == lastPid) {
            lastPid--;
        }
    }

    /** The process with {@code pid}, or a caller error naming the field {@code pid}. */
    public Task get(int pid) {
        Task t = tasks.get(pid);
        if (t == null) {
            throw new KernelInputException("pid", "no process with pid " + pid);
        }
        return t;
    }

    /** The process with {@code pid} if it is running, else a caller error. */
    public Task running(int pid) {
        Task t = get(pid);
        if (!t.alive()) {
            throw new KernelInputException("pid", "process " + pid + " is " + t.state().label()
                    + (t.exitSignal() != null ? " (" + t.exitSignal() + ")" : ""));
        }
        return t;
    }

    public Task find(int pid) {
        return tasks.get(pid);
    }

    public List<Task> all() {
        return new ArrayList<>(tasks.values());
    }

    public List<Task> alive() {
        return tasks.values().stream().filter(Task::alive).toList();
    }

    public int lastPid() {
        return lastPid;
    }

    void setLastPid(int lastPid) {
        this.lastPid = lastPid;
    }
}
