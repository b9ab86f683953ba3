package io.tracewatch.cli;

import io.tracewatch.io.file.FileReferenceSource;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.model.internal.ReferenceRecord;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@code parties}: loads a party register (一企一档), JSON Lines or CSV, into the compacted parties
 * topic, keyed by party_id, all or nothing.
 */
final class PartiesCommand extends ReferenceListCommand {
    @Override
    public String name() {
        return "parties";
    }

    @Override
    public String summary() {
        return "load a party register (JSON Lines or CSV) into the parties topic";
    }

    @Override
    String inputHelp() {
        return "party records: JSON Lines, or CSV with a header row of field names";
    }

    @Override
    String noun() {
        return "party record";
    }

    @Override
    List<ReferenceRecord> read(Path input) {
        return FileReferenceSource.readParties(input);
    }

    @Override
    String topic(KafkaSettings kafka) {
        return kafka.partiesTopic();
    }

    @Override
    SpecificRecord value(ReferenceRecord record) {
        return record.getParty();
    }

    @Override
    String key(ReferenceRecord record) {
        return record.getParty().getPartyId();
    }
}
