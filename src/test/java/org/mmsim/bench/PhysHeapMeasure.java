package org.mmsim.bench;

import org.mmsim.kernel.phys.Machines;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * Retained heap of a freshly booted 1 TiB machine: boots N machines, keeps them reachable,
 * forces GC before and after, and divides the growth of used heap by N.
 */
public final class PhysHeapMeasure {
    private PhysHeapMeasure() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        new PhysicalMemory(Machines.oneTebibyteConfig());
        long before = usedAfterGc();
        PhysicalMemory[] keep = new PhysicalMemory[n];
        for (int i = 0; i < n; i++) {
            keep[i] = new PhysicalMemory(Machines.oneTebibyteConfig());
        }
        long after = usedAfterGc();
        System.out.printf("machines=%d retained=%d bytes per 1 TiB machine%n", n, (after - before) / n);
        System.out.println(keep.length);
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
