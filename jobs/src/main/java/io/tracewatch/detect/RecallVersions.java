package io.tracewatch.detect;

import io.tracewatch.model.RecallRecord;
import io.tracewatch.model.internal.ReferenceVersions;
import io.tracewatch.rules.Reference;
import io.tracewatch.savepoint.SavepointNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The recall list in the detector's broadcast state (lifecycle.md, "Recall records"): each recall's
 * versions in version_time order, by recall_id. A version names its product, and a later version
 * may name another: a recall applies to a product when its applicable version names it.
 */
final class RecallVersions {
    static final MapStateDescriptor<String, ReferenceVersions> RECALLS =
            new MapStateDescriptor<>(SavepointNames.RECALL_VERSIONS, Types.STRING, new AvroTypeInfo<>(ReferenceVersions.class));

    private final BroadcastState<String, ReferenceVersions> recalls;
    /** The recalls any version of which names a product, by product; rebuilt from the state after a change or a restore. */
    private Map<String, Set<String>> byProduct;

    RecallVersions(BroadcastState<String, ReferenceVersions> recalls) {
        this.recalls = recalls;
    }

    /** Takes a version in; one with the same version_time as a version held replaces it. */
    void apply(RecallRecord recall) throws Exception {
        ReferenceVersions held = recalls.get(recall.getRecallId());
        List<RecallRecord> list = held == null ? new ArrayList<>() : new ArrayList<>(held.getRecalls());
        list.removeIf(v -> v.getVersionTime().equals(recall.getVersionTime()));
        list.add(recall);
        list.sort(Comparator.comparing(RecallRecord::getVersionTime));
        recalls.put(recall.getRecallId(), new ReferenceVersions(List.of(), List.of(), list));
        byProduct = null;
    }

    /** The applicable version of every recall whose applicable version at {@code at} names the product. */
    List<RecallRecord> of(String productCode, Instant at) throws Exception {
        Set<String> ids = index().get(productCode);
        if (ids == null) {
            return List.of();
        }
        List<RecallRecord> applicable = new ArrayList<>(ids.size());
        for (String id : ids) {
            RecallRecord found = Reference.applicable(recalls.get(id).getRecalls(), RecallRecord::getVersionTime, at);
            if (found != null && found.getProductCode().equals(productCode)) {
                applicable.add(found);
            }
        }
        return applicable;
    }

    private Map<String, Set<String>> index() throws Exception {
        if (byProduct == null) {
            Map<String, Set<String>> index = new HashMap<>();
            for (Map.Entry<String, ReferenceVersions> recall : recalls.entries()) {
                for (RecallRecord version : recall.getValue().getRecalls()) {
                    index.computeIfAbsent(version.getProductCode(), p -> new LinkedHashSet<>()).add(recall.getKey());
                }
            }
            byProduct = index;
        }
        return byProduct;
    }
}
