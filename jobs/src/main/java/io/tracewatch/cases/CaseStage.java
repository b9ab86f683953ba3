package io.tracewatch.cases;

import io.tracewatch.io.codec.CaseActions;
import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.internal.ActionRecord;
import io.tracewatch.model.internal.CaseMember;
import io.tracewatch.model.internal.CaseState;
import io.tracewatch.savepoint.SavepointNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The case stage, behind the detector: keyed by party, it holds the party's cases (one per period)
 * and turns the alert stream (RAISED and RETRACTED) and the case actions into case records. A
 * changed case is written at most once per {@code cases.emit_interval_ms}; an applied action is
 * written at once. Every record carries the party's grade at that moment.
 */
public class CaseStage extends KeyedCoProcessFunction<String, Alert, ActionRecord, CaseRecord> {
    private final CasesSettings settings;
    private transient MapState<String, CaseState> cases;
    /** Standing alerts, one entry per alert ({@code period/alert_id}): an alert costs the same however large its case. */
    private transient MapState<String, CaseMember> members;
    private transient ValueState<Long> emitTimer;

    public CaseStage(CasesSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        cases = getRuntimeContext().getMapState(new MapStateDescriptor<>(SavepointNames.CASES, Types.STRING, new AvroTypeInfo<>(CaseState.class)));
        members = getRuntimeContext().getMapState(new MapStateDescriptor<>(SavepointNames.CASE_MEMBERS, Types.STRING, new AvroTypeInfo<>(CaseMember.class)));
        emitTimer = getRuntimeContext().getState(new ValueStateDescriptor<>(SavepointNames.CASE_EMIT_TIMER, Types.LONG));
    }

    @Override
    public void processElement1(Alert alert, Context ctx, Collector<CaseRecord> out) throws Exception {
        String period = settings.period().of(alert.getEventTime());
        CaseState state = cases.get(period);
        if (state == null) {
            if (alert.getStatus() == AlertStatus.RETRACTED) {
                return;
            }
            state = CaseBook.newCase(period);
        }
        if (CaseBook.apply(state, membersOf(period), alert, ctx.getCurrentKey(), Instant.now())) {
            state.setDirty(true);
            cases.put(period, state);
            if (emitTimer.value() == null) {
                long at = ctx.timerService().currentProcessingTime() + settings.emitIntervalMs();
                ctx.timerService().registerProcessingTimeTimer(at);
                // a bounded run ends without firing processing-time timers: the end of input writes what is left
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
                emitTimer.update(at);
            }
        }
    }

    @Override
    public void processElement2(ActionRecord record, Context ctx, Collector<CaseRecord> out) throws Exception {
        CaseAction action = record.getAction();
        String period = CaseIds.periodOf(action.getCaseId());
        CaseState state = period == null ? null : cases.get(period);
        String refusal = state == null || state.getVersion() == 0
                ? "no case " + action.getCaseId() + " (it has had no alert yet)"
                : CaseBook.apply(state, action);
        if (refusal != null) {
            DeadLetters.Origin origin = new DeadLetters.Origin(record.getSource(), record.getPosition(), record.getPartition());
            ctx.output(DeadLetters.TAG, CaseActions.refused(refusal, record.getRaw().getBytes(StandardCharsets.UTF_8), origin));
            return;
        }
        state.setDirty(true);
        cases.put(period, state);
        writeChanged(ctx.getCurrentKey(), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CaseRecord> out) throws Exception {
        Long pending = emitTimer.value();
        if (pending != null) {
            ctx.timerService().deleteProcessingTimeTimer(pending);
            ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
            emitTimer.clear();
        }
        writeChanged(ctx.getCurrentKey(), out);
    }

    /** The standing alerts of the party's case of {@code period}, in the keyed state. */
    private CaseBook.Members membersOf(String period) {
        String prefix = period + "/";
        return new CaseBook.Members() {
            @Override
            public CaseMember get(String alertId) {
                return unchecked(() -> members.get(prefix + alertId));
            }

            @Override
            public void add(String alertId, CaseMember member) {
                unchecked(() -> {
                    members.put(prefix + alertId, member);
                    return null;
                });
            }

            @Override
            public void remove(String alertId) {
                unchecked(() -> {
                    members.remove(prefix + alertId);
                    return null;
                });
            }
        };
    }

    private static <T> T unchecked(java.util.concurrent.Callable<T> stateAccess) {
        try {
            return stateAccess.call();
        } catch (Exception e) {
            throw new IllegalStateException("case state unreadable", e);
        }
    }

    /**
     * Writes a new version of every changed case of the party, each with the party's grade: the one
     * place that reads every member, at most once per emit interval.
     */
    private void writeChanged(String party, Collector<CaseRecord> out) throws Exception {
        Map<String, Map<String, CaseMember>> byPeriod = new HashMap<>();
        for (Map.Entry<String, CaseMember> entry : members.entries()) {
            int slash = entry.getKey().indexOf('/');
            byPeriod.computeIfAbsent(entry.getKey().substring(0, slash), p -> new HashMap<>())
                    .put(entry.getKey().substring(slash + 1), entry.getValue());
        }
        List<Map.Entry<String, CaseState>> all = new ArrayList<>();
        for (Map.Entry<String, CaseState> entry : cases.entries()) {
            CaseState state = entry.getValue();
            state.setMembers(byPeriod.getOrDefault(entry.getKey(), new HashMap<>()));
            all.add(Map.entry(entry.getKey(), state));
        }
        PartyGrade.Grade grade = PartyGrade.of(PartyGrade.figures(all.stream().map(Map.Entry::getValue).toList()), settings.grade());
        Instant now = Instant.now();
        for (Map.Entry<String, CaseState> entry : all) {
            CaseState state = entry.getValue();
            if (!state.getDirty()) {
                continue;
            }
            state.setDirty(false);
            if (state.getVersion() == 0 && state.getStatus() == CaseStatus.WITHDRAWN) {
                // raised and retracted before it was ever written: there is no case to withdraw
                cases.remove(entry.getKey());
                continue;
            }
            state.setVersion(state.getVersion() + 1);
            CaseRecord record = CaseBook.record(party, state, grade, now);
            // nearly every case is within the bound of its size, and is not written out to know it fits
            out.collect(RecordJson.bytesAtMost(record) <= settings.maxRecordBytes() ? record
                    : CaseBook.withinBytes(record, settings.maxRecordBytes(), RecordJson::encodedBytes));
            state.setMembers(new HashMap<>());
            cases.put(entry.getKey(), state);
        }
    }
}
