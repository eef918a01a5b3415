/*
 * The real kernel's minor fault, for FaultBench (BENCHMARKS.md, "Processes and page faults"):
 * each round mmaps a fresh private anonymous region of N pages (MADV_NOHUGEPAGE, so every 4 KiB
 * page takes its own fault even where THP is "always"), accesses one byte per page, and times
 * the loop with clock_gettime(CLOCK_MONOTONIC); the region is munmapped outside the timing.
 *
 *   write   one store per page: do_anonymous_page() allocates and zeroes a page
 *   read    one load per page: do_anonymous_page() maps the shared zero page
 *   cow     loads first (untimed), then one store per page: do_wp_page() copies the zero page
 *
 * Prints, per mode, the min and median ns per page over the rounds, and the faults the kernel
 * counted during the timed loops: getrusage() ru_minflt for this process and the
 * /proc/vmstat pgfault delta (system-wide, so other processes may add a few), both per round.
 * ru_minflt = N per round is the proof that every page really faulted.
 *
 *   gcc -O2 -o /tmp/minor_fault src/test/c/minor_fault.c && /tmp/minor_fault [pages] [rounds] [mode...]
 *
 * Defaults: 16384 pages (64 MiB), 20 rounds, all three modes.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static long page_size;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static long minflt(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

static long vmstat_pgfault(void)
{
    FILE *f = fopen("/proc/vmstat", "r");
    char name[64];
    long value, found = -1;
    if (!f) {
        return -1;
    }
    while (fscanf(f, "%63s %ld", name, &value) == 2) {
        if (strcmp(name, "pgfault") == 0) {
            found = value;
            break;
        }
    }
    fclose(f);
    return found;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* One byte per page; volatile so the compiler keeps every access. */
static void store_pages(volatile char *p, long pages)
{
    for (long i = 0; i < pages; i++) {
        p[i * page_size] = 1;
    }
}

static long load_pages(volatile char *p, long pages)
{
    long sum = 0;
    for (long i = 0; i < pages; i++) {
        sum += p[i * page_size];
    }
    return sum;
}

static int run(const char *mode, long pages, int rounds)
{
    double *ns = calloc(rounds, sizeof *ns);
    long faults = 0, pgfaults = 0, sink = 0;
    size_t len = (size_t) pages * page_size;
    for (int r = 0; r < rounds; r++) {
        char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        madvise(p, len, MADV_NOHUGEPAGE);
        if (strcmp(mode, "cow") == 0) {
            sink += load_pages(p, pages);
        }
        long vm0 = vmstat_pgfault();
        long f0 = minflt();
        uint64_t t0 = now_ns();
        if (strcmp(mode, "read") == 0) {
            sink += load_pages(p, pages);
        } else {
            store_pages(p, pages);
        }
        uint64_t t1 = now_ns();
        long f1 = minflt();
        long vm1 = vmstat_pgfault();
        faults += f1 - f0;
        pgfaults += vm1 - vm0;
        ns[r] = (double) (t1 - t0) / pages;
        munmap(p, len);
    }
    qsort(ns, rounds, sizeof *ns, cmp_double);
    double median = rounds % 2 ? ns[rounds / 2] : (ns[rounds / 2 - 1] + ns[rounds / 2]) / 2;
    printf("native %-5s pages=%ld rounds=%d  min %.1f ns/page  median %.1f ns/page  max %.1f ns/page"
           "  minflt/round %.1f  vmstat-pgfault/round %.1f%s\n",
           mode, pages, rounds, ns[0], median, ns[rounds - 1], (double) faults / rounds,
           (double) pgfaults / rounds, sink == 12345 ? " " : "");
    free(ns);
    return 0;
}

int main(int argc, char **argv)
{
    page_size = sysconf(_SC_PAGESIZE);
    long pages = argc > 1 ? atol(argv[1]) : 16384;
    int rounds = argc > 2 ? atoi(argv[2]) : 20;
    if (pages < 1 || rounds < 1) {
        fprintf(stderr, "usage: %s [pages] [rounds] [write|read|cow...]\n", argv[0]);
        return 2;
    }
    static const char *all[] = {"write", "read", "cow"};
    int rc = 0;
    if (argc > 3) {
        for (int i = 3; i < argc; i++) {
            rc |= run(argv[i], pages, rounds);
        }
    } else {
        for (int i = 0; i < 3; i++) {
            rc |= run(all[i], pages, rounds);
        }
    }
    return rc;
}
