package io.tracewatch.rules;

import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import java.util.List;

/**
 * DESTROYED_PACK (lifecycle.md): the first event after the code's first DESTROY that is not a
 * DESTROY, whatever its type and party; once per code, and a RETURN does not undo a DESTROY.
 */
public final class DestroyedPackRule implements Rule {
    static final String VERSION = "destroyed-1";

    @Override
    public RuleId id() {
        return RuleId.DESTROYED_PACK;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public Finding judge(PackState before, ScanEvent event, Judging context) {
        ScanEvent destroy = before.firstDestroy();
        if (destroy == null || before.destroyedFlagged() || event.getEventType() == EventType.DESTROY) {
            return null;
        }
        return new Finding.DestroyedPack(event, List.of(destroy), destroy);
    }
}
