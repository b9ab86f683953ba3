package io.tracewatch.job;

import io.tracewatch.cases.CaseStage;
import io.tracewatch.detect.CodeDetector;
import io.tracewatch.detect.DetectionConfig;
import io.tracewatch.detect.ReferenceMode;
import io.tracewatch.ingest.EventTimeWatermarks;
import io.tracewatch.ingest.RouteDeadLetterField;
import io.tracewatch.ingest.RouteDeadLetters;
import io.tracewatch.ingest.WithoutEventTime;
import io.tracewatch.insurance.Leads;
import io.tracewatch.insurance.Verifications;
import io.tracewatch.io.FixedLengthCodeSerializer;
import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.io.ports.NoRecords;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.io.ports.ScanSource;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.internal.ActionRecord;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.savepoint.SavepointNames;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one pipeline of tracewatch, used by the streaming job, the replay job and the tests:
 * source → route dead letters → key by code → detector → outputs. Streaming keys state by the code
 * itself; batch gives the code a fixed-length key serializer so its sort compares bytes.
 */
public final class DetectionTopology {
    private DetectionTopology() {}

    public static void build(StreamExecutionEnvironment env, TracewatchConfig config, ScanSource source, Outputs outputs) {
        build(env, config, Inputs.of(source), outputs);
    }

    public static void build(StreamExecutionEnvironment env, TracewatchConfig config, Inputs inputs, Outputs outputs) {
        SingleOutputStreamOperator<Ingested> scans = decode(env, config, inputs.scans());
        SingleOutputStreamOperator<Ingested> requests = inputs.requests() == null ? null : requests(inputs.requests().create(env));
        boolean answerAtEnd = inputs.requests() != null && inputs.requests().answersAtEnd();
        // a missing input's stand-in must end when the scans end, and never end when they never do
        boolean endless = env.getCheckpointConfig().isCheckpointingEnabled() && !inputs.scans().bounded();
        SingleOutputStreamOperator<ReferenceRecord> reference = routed(env, inputs.reference() == null ? null : inputs.reference().create(env),
                new AvroTypeInfo<>(ReferenceRecord.class), SavepointNames.REFERENCE_ROUTE_UID, "route reference dead letters", endless);
        ReferenceMode mode = inputs.reference() == null ? ReferenceMode.NONE : new ReferenceMode(true, inputs.reference().register());
        SingleOutputStreamOperator<Alert> alerts = detect(env, config, requests == null ? scans : scans.union(requests), reference, true, answerAtEnd, mode);
        SingleOutputStreamOperator<ActionRecord> actions = routed(env, inputs.actions() == null ? null : inputs.actions().create(env),
                new AvroTypeInfo<>(ActionRecord.class), SavepointNames.ACTIONS_ROUTE_UID, "route action dead letters", endless);
        SingleOutputStreamOperator<CaseRecord> cases = cases(config, alerts, actions);
        DataStream<DeadLetter> deadLetters = (requests == null ? scans.getSideOutput(DeadLetters.TAG)
                        : scans.getSideOutput(DeadLetters.TAG).union(requests.getSideOutput(DeadLetters.TAG)))
                .union(alerts.getSideOutput(DeadLetters.TAG), actions.getSideOutput(DeadLetters.TAG), cases.getSideOutput(DeadLetters.TAG),
                        reference.getSideOutput(DeadLetters.TAG));
        outputs.alerts(alerts);
        outputs.deadLetters(deadLetters);
        outputs.cases(cases);
        outputs.leads(alerts.getSideOutput(Leads.TAG));
        outputs.verifications(alerts.getSideOutput(Verifications.TAG));
    }

    /** The third half: alerts and case actions keyed by party into the case stage. */
    static SingleOutputStreamOperator<CaseRecord> cases(
            TracewatchConfig config, DataStream<Alert> alerts, DataStream<ActionRecord> actions) {
        return alerts.keyBy(Alert::getPartyId, Types.STRING)
                .connect(actions.keyBy(a -> CaseIds.partyOf(a.getAction().getCaseId()), Types.STRING))
                .process(new CaseStage(config.cases()), new AvroTypeInfo<>(CaseRecord.class))
                .name("cases per party")
                .uid(SavepointNames.CASES_UID);
    }

    /**
     * Records of a secondary input with their dead letters split off; an empty stream when there is
     * no such input.
     */
    private static <T extends org.apache.avro.specific.SpecificRecordBase> SingleOutputStreamOperator<T> routed(
            StreamExecutionEnvironment env, DataStream<T> records, AvroTypeInfo<T> type, String uid, String name, boolean endless) {
        DataStream<T> input = records != null ? records : none(env, type, uid + SavepointNames.NONE_SUFFIX, endless);
        // at the input's parallelism, forward: a rebalance could let the reference data's ready mark
        // overtake register versions sent before it, and scans be judged without them
        return withoutEventTime(input, name, uid + SavepointNames.WITHOUT_EVENT_TIME_SUFFIX).process(new RouteDeadLetterField<>(), type)
                .setParallelism(input.getParallelism()).name(name).uid(uid);
    }

    /**
     * An input with no records. Endless in the live job (checkpoints, scans that never end), as a
     * finished task would send the end of time past {@link WithoutEventTime} after a restore (see
     * {@link NoRecords}); otherwise (replays, benchmarks of a bounded range) it ends at once, so that
     * the run can finish.
     */
    private static <T extends org.apache.avro.specific.SpecificRecordBase> DataStream<T> none(StreamExecutionEnvironment env, AvroTypeInfo<T> type, String uid, boolean endless) {
        if (endless) {
            return env.fromSource(new NoRecords<T>(), WatermarkStrategy.noWatermarks(), "none", type).uid(uid);
        }
        // one number, filtered out
        return env.fromSequence(0, 0).filter(n -> false).name("none").map(n -> (T) null, type);
    }

    /**
     * An input that meets the scans but must not move their event time: see {@link WithoutEventTime}.
     * Batch has no watermarks to keep apart (and refuses watermark statuses).
     */
    private static <T> DataStream<T> withoutEventTime(DataStream<T> input, String name, String uid) {
        if (batch(input.getExecutionEnvironment())) {
            return input;
        }
        return input.transform(name + " (no event time)", input.getType(), new WithoutEventTime<T>())
                .setParallelism(input.getParallelism())
                .uid(uid);
    }

    /**
     * The first half: records from the source, dead letters split off to a side output. At the
     * source's parallelism, forward: a rebalance from a source of fewer readers would let two uploads
     * of one code overtake each other, and the first to arrive decides a conflicting duplicate.
     */
    public static SingleOutputStreamOperator<Ingested> decode(StreamExecutionEnvironment env, TracewatchConfig config, ScanSource source) {
        DataStream<Ingested> read = source.create(env, watermarks(env, config.detection()), ScanDecoder.of(config.ingest()));
        return read.process(new RouteDeadLetters(), IngestedSerializer.TYPE)
                .setParallelism(read.getParallelism())
                .name("route dead letters")
                .uid(SavepointNames.ROUTE_UID);
    }

    /**
     * Verification requests with their dead letters split off, at their source's parallelism: they
     * reach the detector by the code's hash alone, as the scans do.
     */
    private static SingleOutputStreamOperator<Ingested> requests(DataStream<Ingested> requests) {
        return withoutEventTime(requests, "verify requests", SavepointNames.REQUESTS_UID)
                .process(new RouteDeadLetters(), IngestedSerializer.TYPE)
                .setParallelism(requests.getParallelism())
                .name("route request dead letters")
                .uid(SavepointNames.REQUESTS_ROUTE_UID);
    }

    /**
     * The second half: scan events keyed by code into the detector.
     *
     * @param applyRules false only to measure what state and timers cost without the rules
     */
    public static SingleOutputStreamOperator<Alert> detect(
            StreamExecutionEnvironment env, TracewatchConfig config, DataStream<Ingested> scans, boolean applyRules) {
        AvroTypeInfo<ReferenceRecord> type = new AvroTypeInfo<>(ReferenceRecord.class);
        DataStream<ReferenceRecord> none = withoutEventTime(none(env, type, SavepointNames.DETECTOR_ALONE_REFERENCE_UID + SavepointNames.NONE_SUFFIX, false),
                "no reference", SavepointNames.DETECTOR_ALONE_REFERENCE_UID + SavepointNames.WITHOUT_EVENT_TIME_SUFFIX);
        return detect(env, config, scans, none,
                applyRules, false, ReferenceMode.NONE);
    }

    private static SingleOutputStreamOperator<Alert> detect(StreamExecutionEnvironment env, TracewatchConfig config, DataStream<Ingested> scans,
            DataStream<ReferenceRecord> reference, boolean applyRules, boolean answerAtEnd, ReferenceMode mode) {
        return scans
                .keyBy(DetectionTopology::codeOf, batch(env) ? FixedLengthCodeSerializer.TYPE : Types.STRING)
                .connect(reference.broadcast())
                .transform("detect anomalies per code", new AvroTypeInfo<>(Alert.class),
                        new CodeDetector(config.detection(), config.cases().period(), applyRules, answerAtEnd, mode, !batch(env)))
                .uid(SavepointNames.DETECTOR_UID);
    }

    /** The code a record is about: a scan's, or the one a verification request asks after. */
    private static String codeOf(Ingested record) {
        return record.getEvent() != null ? record.getEvent().getCode() : record.getRequest().getCode();
    }

    private static boolean batch(StreamExecutionEnvironment env) {
        return env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
    }

    /**
     * Streaming: event time with the ordering delay. Batch: each code's records are sorted by their
     * timestamp before the detector sees them, and the detector orders events itself, so the
     * timestamp is the arrival position: a conflicting duplicate is resolved in arrival order, as
     * when streaming.
     */
    static WatermarkStrategy<Ingested> watermarks(StreamExecutionEnvironment env, DetectionConfig config) {
        if (batch(env)) {
            return WatermarkStrategy.<Ingested>noWatermarks().withTimestampAssigner((scan, ts) -> scan.getArrival());
        }
        long delay = config.orderingDelayMs();
        long future = config.maxFutureSkewMs();
        return WatermarkStrategy.<Ingested>forGenerator(context -> new EventTimeWatermarks<>(delay, future))
                .withTimestampAssigner((scan, ts) -> scan.getEvent() == null
                        ? Long.MIN_VALUE
                        : scan.getEvent().getEventTime().toEpochMilli());
    }
}
