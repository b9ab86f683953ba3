package io.tracewatch.cli;

import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.io.file.FileReferenceSource;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.model.internal.ReferenceRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@code recalls}: loads a recall list (召回, lifecycle.md), JSON Lines, into the compacted recalls
 * topic, keyed by recall_id, all or nothing.
 */
final class RecallsCommand extends ReferenceListCommand {
    @Override
    public String name() {
        return "recalls";
    }

    @Override
    public String summary() {
        return "load a recall list (JSON Lines) into the recalls topic";
    }

    @Override
    String inputHelp() {
        return "recall records, one JSON object per line (recall_id, version_time, product_code, batches, level, status)";
    }

    @Override
    String noun() {
        return "recall record";
    }

    @Override
    List<ReferenceRecord> read(Path input) {
        return FileReferenceSource.readLines(input, ReferenceJson.Kind.RECALL);
    }

    @Override
    String topic(KafkaSettings kafka) {
        return kafka.recallsTopic();
    }

    @Override
    SpecificRecord value(ReferenceRecord record) {
        return record.getRecall();
    }

    @Override
    String key(ReferenceRecord record) {
        return record.getRecall().getRecallId();
    }
}
