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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A benchmark job as Flink's REST API describes it: its tasks and its checkpoints. The embedded
 * cluster serves the API on a port chosen here, since the environment does not say which it took.
 */
final class JobRest {
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private JobRest(int port) {
        this.port = port;
    }

    /** The REST API of the embedded cluster {@code env} starts, on a free port. */
    static JobRest of(StreamExecutionEnvironment env) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Configuration rest = new Configuration();
        rest.setString("rest.bind-port", Integer.toString(port));
        rest.setString("rest.port", Integer.toString(port));
        env.configure(rest);
        return new JobRest(port);
    }

    /** Waits until every task of {@code job} runs: a restore of held codes ends before its first record is judged. */
    void awaitRunning(JobID job, Duration longest) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + longest.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode vertices = get("/jobs/" + job).path("vertices");
            boolean running = vertices.size() > 0;
            for (JsonNode vertex : vertices) {
                running &= "RUNNING".equals(vertex.path("status").asText());
            }
            if (running) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job " + job + " did not run within " + longest);
    }

    /** The job's completed checkpoints: how many, and their end-to-end duration (average, p99, longest) in ms. */
    Result addCheckpointsTo(Result result, JobID job) throws IOException, InterruptedException {
        JsonNode stats = get("/jobs/" + job + "/checkpoints");
        JsonNode duration = stats.path("summary").path("end_to_end_duration");
        return result.with("checkpoints_completed", stats.path("counts").path("completed").asLong())
                .with("checkpoint_ms_average", duration.path("avg").asLong())
                .with("checkpoint_ms_p99", duration.path("p99").asDouble())
                .with("checkpoint_ms_longest", duration.path("max").asLong());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Flink's REST API answered " + response.statusCode() + " for " + path);
        }
        return new ObjectMapper().readTree(response.body());
    }
}
