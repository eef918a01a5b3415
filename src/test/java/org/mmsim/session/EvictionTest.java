package org.mmsim.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.machine.MachineCodec;
import org.mmsim.kernel.machine.Presets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The live-machine cache is bounded; a machine it drops is snapshotted and comes back identical. */
@SpringBootTest(properties = {
    "spring.datasource.url=jdbc:h2:mem:eviction;DB_CLOSE_DELAY=-1",
    "mmsim.live-machines=2",
    "mmsim.snapshot-every=1000"})
class EvictionTest {

    @Autowired
    SessionService sessions;

    @Test
    void anEvictedMachineIsSnapshottedAndRebuiltIdentically() throws Exception {
        var preset = Presets.byName("x86_64-1node-1g").orElseThrow();
        List<String> ids = new ArrayList<>();
        List<byte[]> states = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            String id = sessions.create("eviction", preset.name(), preset.machine(), "{}").id();
            for (int i = 0; i < 3; i++) {
                sessions.apply(id, List.of(new AllocPages(i, "GFP_KERNEL", -1, 0, null)));
            }
            ids.add(id);
            states.add(sessions.read(id, MachineCodec::encodeRaw));
        }
        // the first sessions were dropped for space: each gets a snapshot at its version 3
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!sessions.snapshotVersions(ids.get(0)).contains(3L) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sessions.snapshotVersions(ids.get(0))).containsExactly(0L, 3L);
        for (int s = 0; s < ids.size(); s++) {
            assertThat(sessions.read(ids.get(s), MachineCodec::encodeRaw)).as("session %d", s)
                    .isEqualTo(states.get(s));
        }
    }
}
