/*
 * Ground truth for org.mmsim.kernel.libc.GlibcTraceTest: runs fixed malloc/free/mallopt
 * sequences against the real glibc and prints, for each step, the user pointer as an offset
 * from the break at process start (sbrk(0) before the first malloc) and the break growth.
 * Mmapped chunks are printed as "mmap+<offset within page>". Output is collected in a static
 * buffer and written with write(2) at the end, so stdio never allocates from the heap under test.
 *
 *   gcc -O0 -o /tmp/malloc_trace src/test/c/malloc_trace.c && /tmp/malloc_trace <scenario>
 *
 * Each scenario runs in a fresh process (the heap must start empty).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char out[1 << 16];
static size_t outlen;
static char *base;

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    outlen += vsnprintf(out + outlen, sizeof out - outlen, fmt, ap);
    va_end(ap);
}

static void *m(size_t n)
{
    char *p = malloc(n);
    char *brk = sbrk(0);
    if (p == NULL)
        say("malloc(%zu) = NULL brk+%#lx\n", n, (long) (brk - base));
    else if (p >= base && p < brk)
        say("malloc(%zu) = heap+%#lx size=%#zx brk+%#lx\n", n, (long) (p - base),
            ((size_t *) p)[-1], (long) (brk - base));
    else
        say("malloc(%zu) = mmap+%#lx size=%#zx brk+%#lx\n", n, (long) ((uintptr_t) p & 4095),
            ((size_t *) p)[-1], (long) (brk - base));
    return p;
}

static void *show(const char *what, size_t n, char *p)
{
    char *brk = sbrk(0);
    if (p == NULL)
        say("%s(%zu) = NULL brk+%#lx\n", what, n, (long) (brk - base));
    else if (p >= base && p < brk)
        say("%s(%zu) = heap+%#lx size=%#zx brk+%#lx\n", what, n, (long) (p - base),
            ((size_t *) p)[-1], (long) (brk - base));
    else
        say("%s(%zu) = mmap+%#lx size=%#zx brk+%#lx\n", what, n, (long) ((uintptr_t) p & 4095),
            ((size_t *) p)[-1], (long) (brk - base));
    return p;
}

static void *r(void *p, size_t n)
{
    return show("realloc", n, realloc(p, n));
}

static void *c(size_t n)
{
    return show("calloc", n, calloc(1, n));
}

static void f(void *p)
{
    free(p);
    say("free -> brk+%#lx\n", (long) ((char *) sbrk(0) - base));
}

static void opt(int param, int value, const char *name)
{
    int r = mallopt(param, value);
    say("mallopt(%s, %d) = %d\n", name, value, r);
}

static void info(void)
{
    struct mallinfo2 mi = mallinfo2();
    say("mallinfo2 arena=%zu ordblks=%zu smblks=%zu hblks=%zu hblkhd=%zu uordblks=%zu fordblks=%zu keepcost=%zu\n",
        mi.arena, mi.ordblks, mi.smblks, mi.hblks, mi.hblkhd, mi.uordblks, mi.fordblks, mi.keepcost);
}

int main(int argc, char **argv)
{
    const char *s = argc > 1 ? argv[1] : "basic";
    base = sbrk(0);
    say("scenario %s\n", s);
    if (!strcmp(s, "basic")) {
        void *a = m(1);
        void *b = m(100);
        f(b);
        m(100);               /* tcache reuse */
        m(24); m(25); m(0);
        info();
        (void) a;
    } else if (!strcmp(s, "threshold")) {
        void *a = m(1);
        void *big = m(128 * 1024);
        f(big);
        void *again = m(128 * 1024);
        info();
        f(again);
        info();
        void *x = m(200 * 1024);
        f(x);
        info();
        (void) a;
    } else if (!strcmp(s, "threshold128")) {
        m(1);
        m(8000);              /* the top can no longer hold 128 KiB */
        void *big = m(128 * 1024);
        f(big);
        m(128 * 1024);        /* below the new threshold: brk grows */
        info();
    } else if (!strcmp(s, "brkblocked")) {
        /* A mapping 1 MiB above the break makes the kernel refuse brk (newbrk + PAGE_SIZE must stay
           below it): sysmalloc falls back to mmap'ing the heap's extension. Once it is gone, sbrk
           works again, the old top is fenced off and freed, and that free's systrim trims the new
           top before the request is carved from it: malloc returns NULL. */
        opt(M_MMAP_MAX, 0, "M_MMAP_MAX");
        m(1);
        char *end = sbrk(0);
        void *blk = mmap(end + 0x100000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        m(1500 * 1024);
        munmap(blk, 4096);
        m(3 * 1024 * 1024);
        m(3 * 1024 * 1024);
        info();
    } else if (!strcmp(s, "realloc")) {
        void *a = m(100);
        a = r(a, 1000);       /* grows into the top in place */
        a = r(a, 200);        /* shrinks in place, the rest freed */
        void *b = m(50);
        a = r(a, 3000);       /* blocked by b: moves, the old chunk is freed */
        f(b);
        c(50);                /* calloc skips the tcache */
        info();
        /* Not here: realloc of an mmapped chunk, which glibc does with mremap (mmsim does not
           model mremap; it moves the chunk, or keeps it when it still fits). */
    } else if (!strcmp(s, "fastbins")) {
        void *p[10];
        for (int i = 0; i < 10; i++) p[i] = m(40);
        for (int i = 0; i < 10; i++) f(p[i]);
        info();
        for (int i = 0; i < 10; i++) m(40);
        void *guard = m(2000);
        for (int i = 0; i < 9; i++) f(p[i]);
        m(2000);              /* large request consolidates fastbins */
        info();
        (void) guard;
    } else if (!strcmp(s, "smallbins")) {
        void *p[9];
        void *g[9];
        for (int i = 0; i < 9; i++) { p[i] = m(200); g[i] = m(16); }
        for (int i = 0; i < 9; i++) f(p[i]);   /* 7 to tcache, 2 to unsorted */
        info();
        m(300);               /* sorts the unsorted chunks into small bins, served from top */
        info();
        m(200); m(200); m(200);
        m(100);               /* split of a small-bin chunk via binmap search */
        info();
        (void) g;
    } else if (!strcmp(s, "coalesce")) {
        void *a = m(2000), *b = m(2000), *c = m(2000), *d = m(2000);
        f(a); f(c); f(b);     /* a+b+c merge into one free chunk */
        info();
        m(5000);              /* exact-ish fit from the merged chunk, remainder to unsorted */
        m(1000);
        info();
        (void) d;
    } else if (!strcmp(s, "trim")) {
        void *a = m(1);
        void *p[40];
        for (int i = 0; i < 40; i++) p[i] = m(10000);
        for (int i = 39; i >= 0; i--) f(p[i]);
        info();
        (void) a;
    } else if (!strcmp(s, "mallopt")) {
        opt(M_MMAP_THRESHOLD, 64 * 1024 * 1024 + 1, "M_MMAP_THRESHOLD");
        opt(M_MMAP_THRESHOLD, 32 * 1024 * 1024 + 1, "M_MMAP_THRESHOLD");
        opt(M_MMAP_THRESHOLD, 32 * 1024 * 1024, "M_MMAP_THRESHOLD");
        opt(M_MMAP_THRESHOLD, -1, "M_MMAP_THRESHOLD");
        opt(M_MXFAST, 161, "M_MXFAST");
        opt(M_MXFAST, 160, "M_MXFAST");
        opt(M_ARENA_MAX, 0, "M_ARENA_MAX");
        opt(12345, 1, "12345");
        opt(M_MMAP_THRESHOLD, 64 * 1024, "M_MMAP_THRESHOLD");
        void *a = m(1);
        void *b = m(100 * 1024);
        f(b);
        m(100 * 1024);        /* no dynamic threshold: mmapped again */
        info();
        (void) a;
    } else if (!strcmp(s, "mmapmax0")) {
        opt(M_MMAP_MAX, 0, "M_MMAP_MAX");
        void *a = m(1);
        void *b = m(1024 * 1024);
        info();
        f(b);
        info();
        (void) a;
    } else if (!strcmp(s, "threshold0")) {
        opt(M_MMAP_THRESHOLD, 0, "M_MMAP_THRESHOLD");
        m(1);
        m(5000);
        info();
    } else if (!strcmp(s, "largebins")) {
        void *p[8];
        size_t sz[8] = {1100, 1500, 1100, 3000, 1300, 1500, 2500, 1100};
        for (int i = 0; i < 8; i++) { p[i] = m(sz[i]); m(16); }
        for (int i = 0; i < 8; i++) f(p[i]);
        m(4000);              /* sorts all into large bins, from top */
        m(1200);              /* best fit: 1300 */
        m(1100);
        m(1100);
        m(1400);
        m(2000);
        info();
    } else if (!strcmp(s, "remainder")) {
        void *a = m(3000);
        m(16);
        f(a);
        m(2000);              /* a is sorted to a large bin, then split; remainder -> unsorted */
        m(100);               /* tcache empty, last_remainder split */
        m(100);
        m(100);
        info();
    }
    write(1, out, outlen);
    return 0;
}
