package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mmsim.config.MmsimProperties;
import org.mmsim.session.LimitExceededException;
import org.mmsim.session.SessionService;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The journal, snapshots, past versions, and batches of operations. */
@RestController
@RequestMapping(path = "/api/v1/sessions/{sid}", produces = "application/json")
@Tag(name = "History", description = "Every change is an operation in the journal; any version can be shown again.")
class HistoryController {

    private final SessionService sessions;
    private final OperationRequests requests;
    private final JsonMapper json;
    private final MmsimProperties props;

    HistoryController(SessionService sessions, OperationRequests requests, JsonMapper json, MmsimProperties props) {
        this.sessions = sessions;
        this.requests = requests;
        this.json = json;
        this.props = props;
    }

    @Schema(description = "One journaled operation: the state at version is the one right after it.")
    record JournalItem(
            @Schema(example = "1") long version,
            @Schema(description = "Operation name.", example = "alloc_pages") String op,
            @Schema(description = "Its parameters.") JsonNode params,
            @Schema(description = "What it did.") JsonNode result,
            @Schema(description = "When it was applied (UTC).") Instant at) {
    }

    @Schema(description = "One page of the journal, oldest first.")
    record JournalPage(List<JournalItem> content, int page, int size, long totalElements, int totalPages) {
    }

    @Schema(description = "Versions at which a snapshot is stored; the state at any version is the nearest "
            + "snapshot at or before it plus the journal replayed.")
    record SnapshotList(@ArraySchema(schema = @Schema(example = "0")) List<Long> versions) {
    }

    @Schema(description = "A snapshot was stored at this version.")
    record SnapshotTaken(long version) {
    }

    @Schema(description = "The whole machine as of one version.")
    record VersionState(long version, MachineSpec machine, MachineState state) {
    }

    @Schema(description = "The results of a batch, one per operation, in order.")
    record BatchResult(
            @Schema(description = "The session's version after the batch.") long version,
            List<BatchItem> results) {
    }

    @Schema(description = "One operation of a batch and what it did.")
    record BatchItem(long version, String op, JsonNode result) {
    }

    @GetMapping("/journal")
    @Operation(operationId = "getJournal", summary = "The journal: every operation with its result, paged")
    JournalPage journal(@PathVariable String sid,
            @Parameter(description = "Page number from 0.") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1..200.") @RequestParam(defaultValue = "50") int size) {
        Page<JournalItem> result = sessions.journal(sid, Paging.of(page, size, Sort.unsorted()))
                .map(r -> new JournalItem(r.version(), r.op(), json.readTree(r.params()), json.readTree(r.result()),
                        r.at()));
        return new JournalPage(result.getContent(), result.getNumber(), result.getSize(), result.getTotalElements(),
                result.getTotalPages());
    }

    @GetMapping("/snapshots")
    @Operation(operationId = "listSnapshots", summary = "Versions that have a stored snapshot")
    SnapshotList snapshots(@PathVariable String sid) {
        return new SnapshotList(sessions.snapshotVersions(sid));
    }

    @PostMapping("/snapshots")
    @Operation(operationId = "takeSnapshot", summary = "Store a snapshot of the current version now")
    @ApiResponse(responseCode = "201", description = "Stored (or already there).")
    ResponseEntity<SnapshotTaken> takeSnapshot(@PathVariable String sid) {
        long version = sessions.snapshot(sid);
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + sid + "/versions/" + version))
                .body(new SnapshotTaken(version));
    }

    @GetMapping("/versions/{version}")
    @Operation(operationId = "getVersion", summary = "The machine as it was at a version",
            description = "Rebuilt from the nearest snapshot at or before the version plus the journal after it.")
    VersionState version(@PathVariable String sid, @PathVariable long version) {
        return sessions.readAt(sid, version, m -> new VersionState(version, MachineSpec.from(m.config()),
                MachineState.from(m)));
    }

    @Schema(description = "What changed between two versions: every value of the bundled state that differs, by "
            + "JSON path, and the operations journaled in between.")
    record DiffResponse(long from, long to,
            @Schema(description = "Values that differ, e.g. nodes[0].zones[1].nrFree[3] from 0 to 1.")
            List<Change> changes,
            @Schema(description = "The operations with from < version <= to (at most 1000).")
            List<JournalItem> operations) {
    }

    @Schema(description = "One value that differs between the two versions.")
    record Change(@Schema(example = "machine.nodes[0].zones[1].freePages") String path, JsonNode from, JsonNode to) {
    }

    @GetMapping("/diff")
    @Operation(operationId = "diffVersions", summary = "What changed between two versions",
            description = "Compares the bundled state of versions from and to (the shape of GET …/versions/{v}) value "
                    + "by value, and lists the operations applied in between.")
    DiffResponse diff(@PathVariable String sid,
            @Parameter(description = "The earlier version.", example = "0") @RequestParam long from,
            @Parameter(description = "The later version.", example = "1") @RequestParam long to) {
        if (from > to) {
            throw new ApiInputException("from", "from (" + from + ") must not be after to (" + to + ")");
        }
        JsonNode before = json.valueToTree(sessions.readAt(sid, from, MachineState::from));
        JsonNode after = json.valueToTree(sessions.readAt(sid, to, MachineState::from));
        List<Change> changes = new ArrayList<>();
        JsonDiff.collect("", before, after, (path, a, b) -> changes.add(new Change(path, a, b)));
        List<JournalItem> ops = sessions.journalRange(sid, from, to, 1000).stream()
                .map(r -> new JournalItem(r.version(), r.op(), json.readTree(r.params()), json.readTree(r.result()),
                        r.at()))
                .toList();
        return new DiffResponse(from, to, changes, ops);
    }

    @PostMapping(path = "/ops", consumes = "application/json")
    @Operation(operationId = "applyOperations", summary = "Apply a batch of operations, all or nothing",
            description = "Each element is {\"op\": name, …the fields of that operation's endpoint}; ops: alloc_pages, "
                    + "free_pages. Applied in order in one transaction: if one is rejected, none is applied.")
    BatchResult ops(@PathVariable String sid,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "Operations in order, e.g. "
                    + "[{\"op\":\"alloc_pages\",\"order\":3,\"gfp\":\"GFP_KERNEL\"}]")
            @RequestBody List<JsonNode> body) {
        if (body.isEmpty()) {
            throw new ApiInputException("[]", "the batch is empty");
        }
        if (body.size() > props.maxBatch()) {
            throw new LimitExceededException("[]", "a batch may hold at most " + props.maxBatch()
                    + " operations (mmsim.max-batch), got " + body.size());
        }
        List<org.mmsim.kernel.journal.Operation> ops = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            ops.add(requests.fromBatch(body.get(i), i));
        }
        List<SessionService.Applied> applied = sessions.apply(sid, ops);
        List<BatchItem> items = applied.stream()
                .map(a -> new BatchItem(a.version(), a.operation().opName(), requests.tree(a.result()))).toList();
        return new BatchResult(applied.get(applied.size() - 1).version(), items);
    }
}
