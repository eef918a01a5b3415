package org.mmsim.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.mmsim.kernel.KernelInputException;
import org.mmsim.kernel.machine.MachineConfig;
import org.mmsim.kernel.machine.Presets;
import org.mmsim.session.SessionService;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Sessions: each owns one simulated machine, its journal and its snapshots. */
@RestController
@RequestMapping(path = "/api/v1/sessions", produces = "application/json")
@Tag(name = "Sessions", description = "Create a simulated machine, look at it, delete it.")
class SessionController {

    static final String CLIENT_HEADER = "X-Mmsim-Client";

    private final SessionService sessions;
    private final JsonMapper json;

    SessionController(SessionService sessions, JsonMapper json) {
        this.sessions = sessions;
        this.json = json;
    }

    @Schema(description = "Name a preset, or describe a machine; neither gives the default preset x86_64-1node-1g.")
    record CreateSession(
            @Schema(description = "A preset name from GET /api/v1/presets.", example = "x86_64-2node-4g") String preset,
            @Schema(description = "A machine described field by field (instead of a preset).") MachineSpec machine) {
    }

    @Schema(description = "A session: its id, its version (the number of operations applied since boot) and its machine.")
    record SessionResponse(
            @Schema(description = "Session id (a UUID).") String id,
            @Schema(description = "The session's version: 0 after boot, +1 per operation.", example = "0") long version,
            @Schema(description = "When the session was created (UTC).") Instant createdAt,
            @Schema(description = "The preset it was created from, if any.") String preset,
            MachineSpec machine,
            @Schema(description = "Pids of the running processes (GET of one session only; null in lists).")
            List<Integer> processes) {

        static SessionResponse from(SessionService.SessionInfo s) {
            return new SessionResponse(s.id(), s.version(), s.createdAt(), s.preset(), MachineSpec.from(s.config()),
                    List.of());
        }
    }

    @Schema(description = "One page of sessions, newest first.")
    record SessionPage(List<SessionResponse> content, int page, int size, long totalElements, int totalPages) {
    }

    @PostMapping(consumes = "application/json")
    @Operation(operationId = "createSession", summary = "Create a session with a freshly booted machine",
            description = "Boots a simulated machine from a preset or a machine description: nodes and zones laid out, "
                    + "boot memory reserved, the rest handed to the buddy allocator. Answers 201 with version 0. "
                    + "The optional X-Mmsim-Client header names the caller; GET /sessions lists that caller's sessions.")
    @ApiResponse(responseCode = "201", description = "Created; Location points at the session.")
    ResponseEntity<SessionResponse> create(
            @Parameter(description = "Who is calling; sessions are listed per client.", example = "student-42")
            @RequestHeader(name = CLIENT_HEADER, required = false) String client,
            @RequestBody(required = false) CreateSession body) {
        CreateSession request = body == null ? new CreateSession(null, null) : body;
        if (request.preset() != null && request.machine() != null) {
            throw new ApiInputException("preset", "give either preset or machine, not both");
        }
        String presetName = request.machine() == null
                ? (request.preset() == null ? Presets.DEFAULT : request.preset()) : null;
        MachineConfig config;
        if (presetName != null) {
            config = Presets.byName(presetName).map(Presets.Preset::machine)
                    .orElseThrow(() -> new ApiInputException("preset", "no preset \"" + presetName
                            + "\"; GET /api/v1/presets lists them"));
        } else {
            config = request.machine().toConfig("machine");
            try {
                config.validate();
            } catch (KernelInputException e) {
                throw new ApiInputException("machine." + e.field(), e.getMessage());
            }
        }
        SessionService.SessionInfo created = sessions.create(clientOf(client), presetName, config,
                json.writeValueAsString(MachineSpec.from(config)));
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + created.id()))
                .body(SessionResponse.from(created));
    }

    @GetMapping
    @Operation(operationId = "listSessions", summary = "The caller's sessions, newest first, paged",
            description = "Lists the sessions created with the same X-Mmsim-Client header (or without one).")
    SessionPage list(
            @RequestHeader(name = CLIENT_HEADER, required = false) String client,
            @Parameter(description = "Page number from 0.") @RequestParam(defaultValue = "0") int page,
            @Parameter(description = "Page size, 1..200.") @RequestParam(defaultValue = "20") int size) {
        PageRequest pageable = Paging.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id")));
        Page<SessionResponse> result = sessions.list(clientOf(client), pageable).map(this::response);
        return new SessionPage(result.getContent(), result.getNumber(), result.getSize(), result.getTotalElements(),
                result.getTotalPages());
    }

    @GetMapping("/{sid}")
    @Operation(operationId = "getSession", summary = "One session: its version and machine config")
    SessionResponse get(@PathVariable String sid) {
        SessionResponse r = response(sessions.get(sid));
        List<Integer> pids = sessions.read(sid, m -> m.processes().tasks().alive().stream()
                .map(org.mmsim.kernel.task.Task::pid).toList());
        return new SessionResponse(r.id(), r.version(), r.createdAt(), r.preset(), r.machine(), pids);
    }

    private SessionResponse response(SessionService.SessionSummary s) {
        return new SessionResponse(s.id(), s.version(), s.createdAt(), s.preset(),
                json.readValue(s.configJson(), MachineSpec.class), null);
    }

    @Schema(description = "Which version of the session to branch from.")
    record BranchRequest(@Schema(description = "A version of the session, 0..its current version.", example = "3")
            Long version) {
    }

    @PostMapping(path = "/{sid}/branch", consumes = "application/json")
    @Operation(operationId = "branchSession", summary = "A new session starting from a past version of this one",
            description = "The new session's version 0 is this session's machine as it was at the given version; "
                    + "the two then go their own ways. For \"what if\" questions and for grading from a common state.")
    @ApiResponse(responseCode = "201", description = "Created; Location points at the new session.")
    ResponseEntity<SessionResponse> branch(@PathVariable String sid,
            @RequestHeader(name = CLIENT_HEADER, required = false) String client,
            @RequestBody BranchRequest body) {
        if (body.version() == null) {
            throw new ApiInputException("version", "version is required");
        }
        SessionService.SessionInfo created = sessions.branch(sid, body.version(), clientOf(client));
        return ResponseEntity.created(URI.create("/api/v1/sessions/" + created.id()))
                .body(SessionResponse.from(created));
    }

    @DeleteMapping("/{sid}")
    @Operation(operationId = "deleteSession", summary = "Delete a session with its journal and snapshots")
    @ApiResponse(responseCode = "204", description = "Deleted.")
    ResponseEntity<Void> delete(@PathVariable String sid) {
        sessions.delete(sid);
        return ResponseEntity.noContent().build();
    }

    private static String clientOf(String header) {
        if (header == null || header.isBlank()) {
            return "anonymous";
        }
        if (header.length() > 200) {
            throw new ApiInputException(CLIENT_HEADER, CLIENT_HEADER + " must be at most 200 characters");
        }
        return header.trim();
    }

}
