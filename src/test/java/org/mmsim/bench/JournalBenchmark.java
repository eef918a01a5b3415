package org.mmsim.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mmsim.MmsimApplication;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.FreePages;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.session.SessionService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cost of one acknowledged operation through the session service: row lock, apply, journal
 * insert, commit (and every 100th a snapshot) — on H2 in memory, H2 on disk (the default, with
 * WRITE_DELAY=0) or PostgreSQL when {@code -Dmmsim.bench.pg=jdbc:postgresql://…} is given.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalBenchmark {

    @Param({"h2-mem", "h2-file"})
    public String database;

    private ConfigurableApplicationContext context;
    private SessionService sessions;
    private String id;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        String url = switch (database) {
            case "h2-mem" -> "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1";
            case "h2-file" -> "jdbc:h2:file:" + java.nio.file.Files.createTempDirectory("mmsim-bench")
                    + "/mmsim;WRITE_DELAY=0";
            default -> database;
        };
        context = SpringApplication.run(MmsimApplication.class, "--server.port=0", "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + System.getProperty("mmsim.bench.user", "sa"),
                "--spring.datasource.password=" + System.getProperty("mmsim.bench.password", ""),
                "--logging.level.root=WARN");
        sessions = context.getBean(SessionService.class);
        var preset = Presets.byName("x86_64-2node-4g").orElseThrow();
        id = sessions.create("bench", preset.name(), preset.machine(), "{}").id();
    }

    @TearDown(Level.Trial)
    public void close() {
        context.close();
    }

    /** alloc_pages then free_pages: two journaled operations, two transactions. */
    @Benchmark
    @OperationsPerInvocation(2)
    public long appendAllocAndFree() {
        var a = (AllocPages.Result) sessions.apply(id, List.of(new AllocPages(0, "GFP_KERNEL", -1, 0, null)))
                .get(0).result();
        return sessions.apply(id, List.of(new FreePages(a.pfn(), 0))).get(0).version();
    }
}
