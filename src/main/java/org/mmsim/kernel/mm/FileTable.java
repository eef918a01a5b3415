package org.mmsim.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.mmsim.kernel.phys.PhysicalMemory;

/**
 * The machine's open files that processes map: the inode cache in miniature. Program images
 * are shared by name (two processes running {@code app} share its page cache, as on Linux);
 * each shared anonymous mapping gets its own shmem object. A file whose last mapping goes
 * away is dropped with its page cache.
 */
public final class FileTable {
    /** The inode numbers this table hands out start here. */
    static final long FIRST_INODE = 131_000;
    private final TreeMap<Integer, AddressSpace> files = new TreeMap<>();
    private int nextId = 1;

    /** The program image {@code /usr/bin/NAME} of {@code sizePages} pages, opened once per name. */
    public AddressSpace image(String name, long sizePages) {
        String path = "/usr/bin/" + name;
        for (AddressSpace as : files.values()) {
            if (!as.isShmem() && as.path().equals(path) && as.sizePages() == sizePages) {
                return as;
            }
        }
        return add(path, false, sizePages);
    }

    /** {@code shmem_zero_setup()}: the shmem object behind one {@code MAP_SHARED|MAP_ANONYMOUS} mapping. */
    public AddressSpace newShmem(long sizePages) {
        return add("/dev/zero (deleted)", true, sizePages);
    }

    private AddressSpace add(String path, boolean shmem, long sizePages) {
        int id = nextId++;
        AddressSpace as = new AddressSpace(id, path, shmem, FIRST_INODE + id, sizePages);
        files.put(id, as);
        return as;
    }

    /** Restores a file with its id (snapshots). */
    public AddressSpace restore(int id, String path, boolean shmem, long inode, long sizePages, int mappers) {
        AddressSpace as = new AddressSpace(id, path, shmem, inode, sizePages);
        as.mappers = mappers;
        files.put(id, as);
        nextId = Math.max(nextId, id + 1);
        return as;
    }

    public AddressSpace byId(int id) {
        return files.get(id);
    }

    public List<AddressSpace> all() {
        return new ArrayList<>(files.values());
    }

    public int nextId() {
        return nextId;
    }

    public void setNextId(int nextId) {
        this.nextId = nextId;
    }

    /** A VMA now maps {@code as} ({@code get_file}). */
    static void get(AddressSpace as) {
        if (as != null) {
            as.mappers++;
        }
    }

    /** A VMA stopped mapping {@code as} ({@code fput}); the last one drops the file and its cache. */
    void put(AddressSpace as, PhysicalMemory phys) {
        if (as == null) {
            return;
        }
        if (--as.mappers == 0) {
            for (long pfn : as.truncate()) {
                phys.putPage(pfn);
            }
            files.remove(as.id());
        }
    }

    /** Cached pages over all files ({@code NR_FILE_PAGES}) and those of shmem ({@code NR_SHMEM}). */
    public long[] cachedPages() {
        long file = 0;
        long shmem = 0;
        for (AddressSpace as : files.values()) {
            file += as.nrPages();
            if (as.isShmem()) {
                shmem += as.nrPages();
            }
        }
        return new long[] {file, shmem};
    }
}
