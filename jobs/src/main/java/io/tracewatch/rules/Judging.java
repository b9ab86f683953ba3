package io.tracewatch.rules;

/**
 * What a rule judges an event with besides the pack's state: the settings that apply at the event
 * and the reference data.
 */
public record Judging(RuleSettings settings, Reference reference) {}
