package org.mmsim.api;

import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/** A value-by-value comparison of two JSON documents, reporting each differing leaf by its path. */
final class JsonDiff {

    /** Receives one difference: the path and the two values (JSON null where one side has none). */
    interface Sink {
        void changed(String path, JsonNode from, JsonNode to);
    }

    private JsonDiff() {
    }

    static void collect(String path, JsonNode a, JsonNode b, Sink sink) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.propertyNames().forEach(names::add);
            b.propertyNames().forEach(names::add);
            for (String name : names) {
                collect(path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name), sink);
            }
        } else if (a != null && b != null && a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                collect(path + "[" + i + "]", i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, sink);
            }
        } else if (a == null || b == null || !a.equals(b)) {
            sink.changed(path, a == null ? NullNode.getInstance() : a, b == null ? NullNode.getInstance() : b);
        }
    }

}
