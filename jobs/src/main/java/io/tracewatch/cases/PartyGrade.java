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

    /** A grade and why, in English and in Chinese (信用+风险 分级). */
    public record Grade(String letter, String reason, String reasonZh) {}

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
            return confirmed("D", f.confirmed365Days());
        }
        if (f.alerts90Days() >= policy.dAlerts90Days()) {
            return alerts90("D", f.alerts90Days());
        }
        if (f.confirmed365Days() >= policy.cConfirmedCases()) {
            return confirmed("C", f.confirmed365Days());
        }
        if (f.alerts90Days() >= policy.cAlerts90Days()) {
            return alerts90("C", f.alerts90Days());
        }
        if (f.alerts365Days() > 0 || f.openCases() > 0) {
            return new Grade("B", "B: " + count(f.alerts365Days(), "standing alert") + " in 365 days, " + count(f.openCases(), "open case"),
                    "B：365 天内 " + f.alerts365Days() + " 条在办预警，" + f.openCases() + " 个未结案件");
        }
        return new Grade("A", "A: no standing alert in 365 days", "A：365 天内无在办预警");
    }

    private static Grade confirmed(String letter, int cases) {
        return new Grade(letter, letter + ": " + count(cases, "confirmed case") + " in 365 days", letter + "：365 天内 " + cases + " 个确认案件");
    }

    private static Grade alerts90(String letter, int alerts) {
        return new Grade(letter, letter + ": " + count(alerts, "standing alert") + " in 90 days", letter + "：90 天内 " + alerts + " 条在办预警");
    }

    private static String count(int n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }
}
