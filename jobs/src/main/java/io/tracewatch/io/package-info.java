/**
 * Flink serializers of the records and of the detector's per-code state. Their class names are
 * written into every checkpoint and savepoint (as serializer snapshots), so they stay in this
 * package: moving one would make savepoints of earlier releases unreadable.
 */
package io.tracewatch.io;
