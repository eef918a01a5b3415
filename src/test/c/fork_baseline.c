/*
 * The real kernel's fork(2) of a process with 512 MiB of private anonymous memory resident, for
 * ForkBench (BENCHMARKS.md, "fork, exec and exit"): mmap N pages (default 131072 = 512 MiB,
 * MADV_NOHUGEPAGE so every page has its own PTE to copy, as in the simulator), write one byte per
 * page, then per round time fork() in the parent with CLOCK_MONOTONIC until it returns; the child
 * calls _exit(0) at once and the parent's waitpid() is outside the timing.
 *
 * Prints the min and median ms per fork over the rounds, and the parent's VmRSS (proof the pages
 * are resident).
 *
 *   gcc -O2 -o /tmp/fork_baseline src/test/c/fork_baseline.c && /tmp/fork_baseline [pages] [rounds]
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

static long vmrss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
        }
    }
    if (f) {
        fclose(f);
    }
    return kb;
}

int main(int argc, char **argv)
{
    long pages = argc > 1 ? atol(argv[1]) : 131072;
    int rounds = argc > 2 ? atoi(argv[2]) : 20;
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (size_t) pages * page;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise(p, len, MADV_NOHUGEPAGE);
    for (long i = 0; i < pages; i++) {
        p[i * page] = (char) i;
    }
    uint64_t *t = calloc(rounds, sizeof *t);
    for (int r = 0; r < rounds; r++) {
        /* the parent's PTEs are write-protected by each fork: rewrite them so every round forks the same state */
        for (long i = 0; i < pages; i++) {
            p[i * page] = (char) (i + r);
        }
        uint64_t t0 = now_ns();
        pid_t pid = fork();
        if (pid == 0) {
            _exit(0);
        }
        uint64_t t1 = now_ns();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        t[r] = t1 - t0;
        int status;
        waitpid(pid, &status, 0);
    }
    qsort(t, rounds, sizeof *t, cmp);
    printf("fork of %ld pages (%ld MiB resident, VmRSS %ld kB): %d rounds, min %.3f ms, median %.3f ms, max %.3f ms\n",
           pages, (long) (len >> 20), vmrss_kb(), rounds, t[0] / 1e6, t[rounds / 2] / 1e6, t[rounds - 1] / 1e6);
    return 0;
}
