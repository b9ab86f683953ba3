package io.tracewatch.rules;

/**
 * What a rule judges an event with besides the pack's state: the settings that apply at the event
 * and the reference data, and whether the event is placed in order: false for an event that
 * reached a sealed code with an event_time before the seal's newest (contract v1.2, "Years of
 * codes"), judged as if it came right after that event, without the travel part of
 * IMPOSSIBLE_ROUTE.
 */
public record Judging(RuleSettings settings, Reference reference, boolean placed) {}
