package io.tracewatch.job;

import io.tracewatch.settings.Checks;
import io.tracewatch.settings.ConfigException;
import java.io.Serializable;

/** How the streaming job runs: parallelism, state backend, checkpoints and restarts. */
public record JobSettings(
        int parallelism,
        int maxParallelism,
        String stateBackend,
        String timerService,
        long checkpointIntervalMs,
        String checkpointDir,
        String savepointDir,
        int restartAttempts,
        long restartDelayMs)
        implements Serializable {

    public void validate() {
        Checks.atLeast(parallelism, 1, "job.parallelism");
        Checks.atLeast(maxParallelism, parallelism, "job.max_parallelism");
        if (!"rocksdb".equals(stateBackend) && !"hashmap".equals(stateBackend)) {
            throw new ConfigException("job.state_backend must be rocksdb or hashmap, got '" + stateBackend + "'");
        }
        if (!"rocksdb".equals(timerService) && !"heap".equals(timerService)) {
            throw new ConfigException("job.timer_service must be rocksdb or heap, got '" + timerService + "'");
        }
        Checks.atLeast(checkpointIntervalMs, 10, "job.checkpoint_interval_ms");
        Checks.notBlank(checkpointDir, "job.checkpoint_dir");
        Checks.notBlank(savepointDir, "job.savepoint_dir");
        Checks.atLeast(restartAttempts, 0, "job.restart_attempts");
        Checks.atLeast(restartDelayMs, 0, "job.restart_delay_ms");
    }
}
