package io.tracewatch.savepoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * A savepoint made fit for the live job: only the state the live job continues stays in it, the
 * detector's and the case stage's. A savepoint written by another job (a bootstrap reading files)
 * also holds its sources' and sinks' state, which the live job has no operator for: Flink would
 * refuse to start from it without {@code --allowNonRestoredState}.
 */
public final class LiveJobSavepoint {
    /** The operators whose state a live job continues from another job's savepoint. */
    public static final List<String> CONTINUED_UIDS = List.of(SavepointNames.DETECTOR_UID, SavepointNames.CASES_UID);
    private static final String METADATA = "_metadata";

    private LiveJobSavepoint() {}

    /** Rewrites the savepoint's metadata in {@code directory} with only the continued operators' state. */
    public static void keepLiveState(Path directory) throws IOException {
        Path metadata = directory.resolve(METADATA);
        CheckpointMetadata read;
        try (InputStream in = Files.newInputStream(metadata)) {
            read = Checkpoints.loadCheckpointMetadata(new DataInputStream(in), LiveJobSavepoint.class.getClassLoader(),
                    directory.toAbsolutePath().toString());
        }
        Set<OperatorID> kept = CONTINUED_UIDS.stream().map(LiveJobSavepoint::operatorId).collect(Collectors.toSet());
        List<OperatorState> states = read.getOperatorStates().stream().filter(s -> kept.contains(s.getOperatorID())).toList();
        if (states.size() != kept.size()) {
            throw new IOException(directory + " holds no state of " + CONTINUED_UIDS + " (" + states.size() + " of them found)");
        }
        CheckpointMetadata trimmed = new CheckpointMetadata(read.getCheckpointId(), states, read.getMasterStates(), read.getCheckpointProperties());
        Path temporary = directory.resolve(METADATA + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            Checkpoints.storeCheckpointMetadata(trimmed, new DataOutputStream(out));
        }
        Files.move(temporary, metadata, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The operator id Flink derives from an operator's uid. */
    public static OperatorID operatorId(String uid) {
        return new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid));
    }
}
