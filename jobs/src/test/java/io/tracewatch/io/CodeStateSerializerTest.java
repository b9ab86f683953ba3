package io.tracewatch.io;

import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.SELL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.model.internal.SentLead;
import io.tracewatch.testing.Scan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The detector's state format: round trips, and what a savepoint of an unknown format gets. */
class CodeStateSerializerTest {

    private static CodeState state() {
        CodeState state = CodeStateSerializer.INSTANCE.createInstance();
        state.setHistory(new ArrayList<>(List.of(
                Scan.of("e1", RECEIVE, "03-01 10:00", "PH-1").to("DS-1").build(),
                Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(3).pack(24).txn("T-1").build())));
        state.setContents(new ArrayList<>(List.of(11L, 22L)));
        state.setRaised(new ArrayList<>(List.of(new RaisedAlert("DUPLICATE_SALE", "e2", 42L), new RaisedAlert("IMPOSSIBLE_ROUTE", "e|2", -7L))));
        state.setLeads(new ArrayList<>(List.of(new SentLead(new RaisedAlert("DUPLICATE_SALE", "e2", 42L), "0123456789abcdef"))));
        state.setJudgedThrough(123L);
        state.setPendingFrom(456L);
        state.setRetainUntil(789L);
        state.setCleanupTimer(1000L);
        state.setOverflowed(2);
        return state;
    }

    @Test
    void theCurrentFormatReadsBackWhatItWrote() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        CodeStateSerializer.INSTANCE.serialize(state(), out);
        CodeState back = CodeStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(state());
    }

    @Test
    void aSavepointOfAnUnknownFormatIsRefusedWithAMessageThatSaysSo() {
        TypeSerializerSnapshot<CodeState> snapshot = new CodeStateSerializer.Snapshot();
        assertThatThrownBy(() -> snapshot.readSnapshot(99, new DataInputDeserializer(new byte[0]), getClass().getClassLoader()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 99")
                .hasMessageContaining("cannot read");
    }

    @Test
    void anEarlierFormatIsMigratedAndTheCurrentOneIsTakenAsIs() throws IOException {
        CodeStateSerializer.Snapshot current = new CodeStateSerializer.Snapshot();
        CodeStateSerializer.Snapshot legacy = new CodeStateSerializer.Snapshot();
        legacy.readSnapshot(3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        assertThat(current.resolveSchemaCompatibility(legacy).isCompatibleAfterMigration()).isTrue();
        CodeStateSerializer.Snapshot format3 = new CodeStateSerializer.Snapshot();
        format3.readSnapshot(4, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        assertThat(current.resolveSchemaCompatibility(format3).isCompatibleAfterMigration()).isTrue();
        assertThat(current.resolveSchemaCompatibility(new CodeStateSerializer.Snapshot()).isCompatibleAsIs()).isTrue();
    }
}
