package io.tracewatch.detect;

import io.tracewatch.config.DetectionConfig;
import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.io.DeadLetters;
import io.tracewatch.io.FixedLengthCodeSerializer;
import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.ActionSource;
import io.tracewatch.io.Inputs;
import io.tracewatch.io.Outputs;
import io.tracewatch.io.RequestSource;
import io.tracewatch.io.ScanDecoder;
import io.tracewatch.io.ScanSource;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.cases.CaseStage;
import io.tracewatch.insurance.Leads;
import io.tracewatch.insurance.Verifications;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.internal.ActionRecord;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.internal.Ingested;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The one pipeline of tracewatch, used by the streaming job, the replay job and the tests:
 * source → route dead letters → key by code → detector → outputs. Streaming keys state by the code
 * itself; batch gives the code a fixed-length key serializer so its sort compares bytes.
 */
public final class DetectionTopology {
    /** Stable operator ids: savepoints map state by them, so they never change. */
    public static final String ROUTE_UID = "route-dead-letters";
    public static final String DETECTOR_UID = "code-detector";
    public static final String CASES_UID = "case-stage";
    public static final String ACTIONS_ROUTE_UID = "route-action-dead-letters";

    private DetectionTopology() {}

    public static void build(StreamExecutionEnvironment env, TracewatchConfig config, ScanSource source, Outputs outputs) {
        build(env, config, Inputs.of(source), outputs);
    }

    public static void build(StreamExecutionEnvironment env, TracewatchConfig config, Inputs inputs, Outputs outputs) {
        SingleOutputStreamOperator<Ingested> scans = decode(env, config, inputs.scans(), inputs.requests());
        boolean answerAtEnd = inputs.requests() != null && inputs.requests().answersAtEnd();
        SingleOutputStreamOperator<Alert> alerts = detect(env, config, scans, true, answerAtEnd);
        SingleOutputStreamOperator<ActionRecord> actions = actions(env, inputs.actions());
        SingleOutputStreamOperator<CaseRecord> cases = cases(config, alerts, actions);
        DataStream<DeadLetter> deadLetters = scans.getSideOutput(DeadLetters.TAG)
                .union(alerts.getSideOutput(DeadLetters.TAG), actions.getSideOutput(DeadLetters.TAG), cases.getSideOutput(DeadLetters.TAG));
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
                .connect(actions.keyBy(a -> CasePeriod.partyOf(a.getAction().getCaseId()), Types.STRING))
                .process(new CaseStage(config.cases()), new AvroTypeInfo<>(CaseRecord.class))
                .name("cases per party")
                .uid(CASES_UID);
    }

    /** Case actions, their refusals split off; none when no one handles cases (a replay). */
    private static SingleOutputStreamOperator<ActionRecord> actions(StreamExecutionEnvironment env, ActionSource source) {
        AvroTypeInfo<ActionRecord> type = new AvroTypeInfo<>(ActionRecord.class);
        // Flink has no empty source: one number, filtered out, stands in for no actions
        DataStream<ActionRecord> records = source != null
                ? source.create(env)
                : env.fromSequence(0, 0).filter(n -> false).name("no case actions").map(n -> new ActionRecord(), type);
        return records.process(new ProcessFunction<ActionRecord, ActionRecord>() {
                    @Override
                    public void processElement(ActionRecord record, Context ctx, Collector<ActionRecord> out) {
                        if (record.getAction() == null) {
                            ctx.output(DeadLetters.TAG, record.getDeadLetter());
                        } else {
                            out.collect(record);
                        }
                    }
                }, type)
                .name("route action dead letters")
                .uid(ACTIONS_ROUTE_UID);
    }

    /** The first half: records from the source, dead letters split off to a side output. */
    public static SingleOutputStreamOperator<Ingested> decode(StreamExecutionEnvironment env, TracewatchConfig config, ScanSource source) {
        return decode(env, config, source, null);
    }

    /** As above, with verification requests beside the scans: they go to their code's state too. */
    static SingleOutputStreamOperator<Ingested> decode(
            StreamExecutionEnvironment env, TracewatchConfig config, ScanSource source, RequestSource requests) {
        DataStream<Ingested> records = source.create(env, watermarks(env, config.detection()), ScanDecoder.of(config.ingest()));
        if (requests != null) {
            records = records.union(requests.create(env));
        }
        return records
                .process(new RouteDeadLetters(), IngestedSerializer.TYPE)
                .name("route dead letters")
                .uid(ROUTE_UID);
    }

    /**
     * The second half: scan events keyed by code into the detector.
     *
     * @param applyRules false only to measure what state and timers cost without the rules
     */
    public static SingleOutputStreamOperator<Alert> detect(
            StreamExecutionEnvironment env, TracewatchConfig config, DataStream<Ingested> scans, boolean applyRules) {
        return detect(env, config, scans, applyRules, false);
    }

    private static SingleOutputStreamOperator<Alert> detect(
            StreamExecutionEnvironment env, TracewatchConfig config, DataStream<Ingested> scans, boolean applyRules, boolean answerAtEnd) {
        return scans
                .keyBy(DetectionTopology::codeOf, batch(env) ? FixedLengthCodeSerializer.TYPE : Types.STRING)
                .process(new CodeDetector(config.detection(), config.cases().period(), applyRules, answerAtEnd))
                .name("detect anomalies per code")
                .uid(DETECTOR_UID);
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
