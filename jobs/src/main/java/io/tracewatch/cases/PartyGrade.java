package io.tracewatch.cases;

import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Disposition;
import io.tracewatch.model.internal.CaseMember;
import io.tracewatch.model.internal.CaseState;
import java.util.Collection;

/**
 * A party's grade (信用+风险 分级), A (clean) to D (act now), with a one-line reason, from its
 * rolling figures: standing alerts over 90 and 365 days, open cases, and cases closed CONFIRMED or
 * FALSE_ALARM (docs/cases.md). Windows end at the party's latest trigger, so a replay grades as the
 * live job did; alerts of cases closed FALSE_ALARM do not count against the party.
 */
public final class PartyGrade {
    private static final long DAY_MICROS = 86_400_000_000L;

    private PartyGrade() {}

    /** A grade and why. */
    public record Grade(String letter, String reason) {}

    /** The rolling figures a grade is decided from. */
    public record Figures(int alerts90Days, int alerts365Days, int openCases, int confirmed365Days, int falseAlarm365Days) {}

    public static Figures figures(Collection<CaseState> cases) {
        long latest = Long.MIN_VALUE;
        for (CaseState state : cases) {
            for (CaseMember member : state.getMembers().values()) {
                latest = Math.max(latest, CaseBook.micros(member.getEventTime()));
            }
        }
        int alerts90 = 0;
        int alerts365 = 0;
        int open = 0;
        int confirmed = 0;
        int falseAlarms = 0;
        for (CaseState state : cases) {
            boolean falseAlarm = state.getStatus() == CaseStatus.CLOSED && state.getDisposition() == Disposition.FALSE_ALARM;
            boolean recent = false;
            for (CaseMember member : state.getMembers().values()) {
                long age = latest - CaseBook.micros(member.getEventTime());
                recent |= age <= 365 * DAY_MICROS;
                if (!falseAlarm && age <= 90 * DAY_MICROS) {
                    alerts90++;
                }
                if (!falseAlarm && age <= 365 * DAY_MICROS) {
                    alerts365++;
                }
            }
            if (state.getStatus() == CaseStatus.OPEN || state.getStatus() == CaseStatus.INVESTIGATING) {
                open++;
            }
            if (state.getStatus() == CaseStatus.CLOSED && recent) {
                if (state.getDisposition() == Disposition.CONFIRMED) {
                    confirmed++;
                } else if (falseAlarm) {
                    falseAlarms++;
                }
            }
        }
        return new Figures(alerts90, alerts365, open, confirmed, falseAlarms);
    }

    public static Grade of(Figures f, CasesSettings.GradeSettings policy) {
        if (f.confirmed365Days() >= policy.dConfirmedCases()) {
            return new Grade("D", "D: " + count(f.confirmed365Days(), "confirmed case") + " in 365 days");
        }
        if (f.alerts90Days() >= policy.dAlerts90Days()) {
            return new Grade("D", "D: " + count(f.alerts90Days(), "standing alert") + " in 90 days");
        }
        if (f.confirmed365Days() >= policy.cConfirmedCases()) {
            return new Grade("C", "C: " + count(f.confirmed365Days(), "confirmed case") + " in 365 days");
        }
        if (f.alerts90Days() >= policy.cAlerts90Days()) {
            return new Grade("C", "C: " + count(f.alerts90Days(), "standing alert") + " in 90 days");
        }
        if (f.alerts365Days() > 0 || f.openCases() > 0) {
            return new Grade("B", "B: " + count(f.alerts365Days(), "standing alert") + " in 365 days, " + count(f.openCases(), "open case"));
        }
        return new Grade("A", "A: no standing alert in 365 days");
    }

    private static String count(int n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }
}
