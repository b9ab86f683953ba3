package io.tracewatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;

/**
 * A benchmark job's checkpoints as Flink's REST API reports them: the embedded cluster serves it on
 * a port chosen here, since the environment does not say which it took.
 */
final class CheckpointStats {
    private final int port;

    private CheckpointStats(int port) {
        this.port = port;
    }

    /** A free port, set in {@code flink} for the embedded cluster's REST endpoint. */
    static CheckpointStats servedBy(Configuration flink) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        flink.setString("rest.bind-port", Integer.toString(port));
        flink.setString("rest.port", Integer.toString(port));
        return new CheckpointStats(port);
    }

    /** The job's completed checkpoints: how many, and their end-to-end duration (average, p99, longest) in ms. */
    Result addTo(Result result, JobID job) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/jobs/" + job + "/checkpoints")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Flink's REST API answered " + response.statusCode() + " for the checkpoints of " + job);
        }
        JsonNode stats = new ObjectMapper().readTree(response.body());
        JsonNode duration = stats.path("summary").path("end_to_end_duration");
        return result.with("checkpoints_completed", stats.path("counts").path("completed").asLong())
                .with("checkpoint_ms_average", duration.path("avg").asLong())
                .with("checkpoint_ms_p99", duration.path("p99").asDouble())
                .with("checkpoint_ms_longest", duration.path("max").asLong());
    }
}
