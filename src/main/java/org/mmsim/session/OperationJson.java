package org.mmsim.session;

import org.mmsim.kernel.journal.Operation;
import org.mmsim.kernel.journal.OperationResult;
import org.mmsim.kernel.journal.OperationType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Operations and results as the journal stores them: a stable name plus the record as JSON. */
@Component
public class OperationJson {

    private final JsonMapper json;

    public OperationJson(JsonMapper json) {
        this.json = json;
    }

    public String params(Operation op) {
        return json.writeValueAsString(op);
    }

    public String result(OperationResult result) {
        return json.writeValueAsString(result);
    }

    public Operation read(String name, String params) {
        OperationType type = OperationType.byName(name);
        if (type == null) {
            throw new IllegalStateException("journal holds an unknown operation " + name);
        }
        return json.readValue(params, type.recordClass());
    }

    public JsonNode tree(String stored) {
        return json.readTree(stored);
    }
}
