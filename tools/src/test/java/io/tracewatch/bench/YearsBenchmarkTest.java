package io.tracewatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.detect.SavepointFixtures;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.model.internal.CodeState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The years benchmark's held codes, written with the State Processor API, are the detector's
 * state as the live job reads it: every code sealed, each the copy of its template.
 */
class YearsBenchmarkTest {
    @TempDir
    Path work;

    @Test
    void heldCodesAreWrittenAsTheDetectorsStateOfSealedCodes() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Benchmarks bench = new Benchmarks(work, 2, quiet);
        SealedBytesBenchmark seals = new SealedBytesBenchmark(quiet);
        seals.run(50);
        List<CodeState> templates = seals.sealed();
        String savepoint = new YearsBenchmark(bench, work, quiet).heldState(templates, 300, work.resolve("held"));

        Map<String, String> held = SavepointFixtures.states(Path.of(java.net.URI.create(savepoint)));
        assertThat(held).hasSize(300).allSatisfy((code, state) -> assertThat(state).contains("\"seal\": {"));
        // a template travels as its bytes, which keep no fingerprint of a seal's standing alerts
        DataOutputSerializer bytes = new DataOutputSerializer(512);
        CodeStateSerializer.INSTANCE.serialize(templates.get(7), bytes);
        CodeState template = CodeStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        CodeState expected = YearsBenchmark.heldCode(template, 7);
        assertThat(held.get(SealsAtRestBenchmark.code(7))).isEqualTo(expected.toString());
    }
}
