package org.mmsim.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.mmsim.kernel.journal.AllocPages;
import org.mmsim.kernel.journal.FreePages;
import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies of the mutating endpoints and their translation into core operations, shared by
 * the single endpoints and the {@code /ops} batch so both accept exactly the same fields.
 */
@Component
class OperationRequests {

    private final JsonMapper json;

    OperationRequests(JsonMapper json) {
        this.json = json;
    }

    @Schema(description = "alloc_pages(gfp, order) on a node: a block of 2^order physically contiguous frames.")
    record AllocPagesRequest(
            @Schema(description = "Order 0..10 (MAX_PAGE_ORDER): the block is 2^order pages.", example = "3")
            Integer order,
            @Schema(description = "GFP flags: a GFP_* name or __GFP_* flags joined by |.", example = "GFP_KERNEL",
                    defaultValue = "GFP_KERNEL")
            String gfp,
            @Schema(description = "Preferred node (alloc_pages_node); absent: the node of the allocating CPU "
                    + "(numa_node_id()), or what the policy picks.", example = "0")
            Integer node,
            @Schema(description = "The CPU the allocating thread runs on (default 0). numa_node_id() is its node: "
                    + "numastat counts local_node/other_node against it.", example = "0")
            Integer cpu,
            @Schema(description = "A memory policy to allocate under (alloc_pages_mpol); absent: the system default, "
                    + "local allocation.")
            PolicyRequest policy) {
    }

    @Schema(description = "A NUMA memory policy (struct mempolicy).")
    record PolicyRequest(
            @Schema(description = "MPOL_DEFAULT, MPOL_LOCAL, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, "
                    + "MPOL_PREFERRED_MANY or MPOL_WEIGHTED_INTERLEAVE.", example = "MPOL_INTERLEAVE")
            String mode,
            @Schema(description = "The nodemask as a list of node ids.", example = "[0, 1]")
            List<Integer> nodes,
            @Schema(description = "Weighted-interleave weights by node id (default 1 each).", example = "[5, 2]")
            List<Integer> weights) {
    }

    @Schema(description = "__free_pages(page, order): give back a block from alloc-pages.")
    record FreePagesRequest(
            @Schema(description = "First frame of the block.", example = "4096") Long pfn,
            @Schema(description = "The order it was allocated with.", example = "3") Integer order) {
    }

    Operation allocPages(AllocPagesRequest r, String prefix) {
        int order = required(r.order(), prefix + "order");
        String gfp = r.gfp() == null ? "GFP_KERNEL" : r.gfp();
        int node = r.node() == null ? -1 : r.node();
        int cpu = r.cpu() == null ? 0 : r.cpu();
        AllocPages.Policy policy = r.policy() == null ? null
                : new AllocPages.Policy(required(r.policy().mode(), prefix + "policy.mode"), r.policy().nodes(),
                        r.policy().weights());
        return new AllocPages(order, gfp, node, cpu, policy);
    }

    Operation freePages(FreePagesRequest r, String prefix) {
        long pfn = required(r.pfn(), prefix + "pfn");
        int order = required(r.order(), prefix + "order");
        return new FreePages(pfn, order);
    }

    /** One element of an {@code /ops} batch: {@code {"op": "alloc_pages", …fields}}. */
    Operation fromBatch(JsonNode element, int index) {
        String prefix = "[" + index + "].";
        if (!(element instanceof ObjectNode object)) {
            throw new ApiInputException("[" + index + "]", "each operation must be an object with an op field");
        }
        JsonNode op = object.get("op");
        if (op == null || !op.isString()) {
            throw new ApiInputException(prefix + "op", "op is required: one of alloc_pages, free_pages");
        }
        ObjectNode fields = object.deepCopy();
        fields.remove("op");
        try {
            return switch (op.asString()) {
                case "alloc_pages" -> allocPages(json.treeToValue(fields, AllocPagesRequest.class), prefix);
                case "free_pages" -> freePages(json.treeToValue(fields, FreePagesRequest.class), prefix);
                default -> throw new ApiInputException(prefix + "op", "unknown op \"" + op.asString()
                        + "\"; one of alloc_pages, free_pages");
            };
        } catch (JacksonException e) {
            String field = e.getPath().isEmpty() ? "" : e.getPath().get(0).getPropertyName();
            throw new ApiInputException(prefix + field, "operation " + index + ": field '" + field
                    + "' is unknown or has the wrong type");
        }
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new ApiInputException(field, field + " is required");
        }
        return value;
    }

    /** The JSON of a result, for batch answers. */
    JsonNode tree(OperationResult result) {
        return json.valueToTree(result);
    }

}
