package io.tracewatch.rules;

import io.tracewatch.model.ScanEvent;

/**
 * One anomaly rule: judges an event against the state of its pack before the event. Pure: no I/O,
 * no clock, no Flink.
 */
public interface Rule {

    RuleId id();

    /** Version of the rule's logic, part of every alert's rule_version ({@link RuleSettings#ruleVersion}). */
    String version();

    /** The finding {@code event} triggers, or null when the event is fine for this rule. */
    Finding judge(PackState before, ScanEvent event, Judging context);
}
