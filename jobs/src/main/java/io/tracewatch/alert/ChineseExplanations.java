package io.tracewatch.alert;

import io.tracewatch.io.codec.Times;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.DuplicateCause;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.RuleId;
import java.util.List;
import java.util.Locale;

/**
 * The alert's sentence in Chinese (简体中文, contract v1.2 {@code explanation_zh}), in the terms the
 * regulators' own forms use: the rule's name first, then what happened, where and when, and what in
 * the history makes it anomalous. Party ids, codes and times are written as in {@link Explanations}.
 */
public final class ChineseExplanations {
    private ChineseExplanations() {}

    /** A rule's name as case handlers know it (docs/cases.md). */
    public static String ruleName(RuleId rule) {
        return switch (rule) {
            case DUPLICATE_SALE -> "重复销售";
            case IMPOSSIBLE_ROUTE -> "流向异常";
            case POST_DISPENSE_RESALE -> "医保回流药";
            case UNLICENSED_CHANNEL -> "非法渠道";
            case DESTROYED_PACK -> "销毁后再流通";
            case EXPIRED_PACK -> "过期药品";
            case RECALLED_PACK -> "召回药品";
        };
    }

    /** A duplicate sale's cause, in words for the desk it goes to. */
    public static String cause(DuplicateCause cause) {
        return switch (cause) {
            case CODE_COLLISION -> "一码多用，生产企业赋码错误";
            case RESALE -> "发药后被回收转售（回流）";
            case SAME_PARTY -> "同一机构重复刷码（空刷、串换），消耗超过包装数量";
            case CLONED_CODE -> "在追溯链无法衔接的多个单位被消耗，疑似复制追溯码（假药风险）";
        };
    }

    public static String of(Finding finding) {
        String sentence;
        if (finding instanceof Finding.DuplicateSale dup) {
            sentence = duplicateSale(dup);
        } else if (finding instanceof Finding.ImpossibleRoute route) {
            sentence = impossibleRoute(route);
        } else if (finding instanceof Finding.UnlicensedChannel channel) {
            sentence = unlicensed(channel);
        } else if (finding instanceof Finding.DestroyedPack destroyed) {
            sentence = describe(destroyed.trigger()) + "，而该包装已于 " + describe(destroyed.destroy());
        } else if (finding instanceof Finding.ExpiredPack expired) {
            sentence = describe(expired.trigger()) + "，晚于该包装的有效期 " + expired.expiryDate()
                    + (expired.expiryCarrier() == expired.trigger() ? "" : "（有效期见 " + describe(expired.expiryCarrier()) + "）");
        } else if (finding instanceof Finding.RecalledPack recalled) {
            sentence = describe(recalled.trigger()) + "，而产品 " + recalled.product() + (recalled.batch() == null ? "" : " 批号 " + recalled.batch())
                    + " 处于召回 " + recalled.recall().getRecallId() + "（" + recalled.recall().getLevel() + "级召回）中";
        } else {
            Finding.PostDispenseResale resale = (Finding.PostDispenseResale) finding;
            sentence = describe(resale.trigger()) + "，而该包装已于 " + describe(Explanations.consumed(resale.evidence())) + "，到达患者后重新进入流通";
        }
        sentence = ruleName(finding.rule()) + "：" + sentence;
        return sentence.length() <= Explanations.MAX_CHARS ? sentence : sentence.substring(0, Explanations.MAX_CHARS - 1) + "…";
    }

    private static String duplicateSale(Finding.DuplicateSale dup) {
        StringBuilder sentence = new StringBuilder(describe(dup.trigger()));
        if (dup.packSize() != null) {
            sentence.append("，使该包装累计消耗 ").append(dup.consumedUnits()).append('/').append(dup.packSize()).append(" 单位");
        } else {
            sentence.append("，为不可拆零包装的第 ").append(dup.consumptions()).append(" 次消耗");
        }
        if (dup.parties().size() > 1) {
            List<String> parties = dup.parties();
            sentence.append("，涉及 ").append(parties.size()).append(" 个单位（")
                    .append(String.join("、", parties.subList(0, Math.min(parties.size(), Explanations.MAX_PARTIES_NAMED))))
                    .append(parties.size() > Explanations.MAX_PARTIES_NAMED ? "等" : "").append('）');
        }
        if (!dup.evidence().isEmpty()) {
            sentence.append("，此前已于 ").append(describe(dup.evidence().get(0)));
        }
        if (dup.cause() != null) {
            sentence.append("；原因：").append(cause(dup.cause()));
        }
        return sentence.toString();
    }

    private static String impossibleRoute(Finding.ImpossibleRoute route) {
        StringBuilder sentence = new StringBuilder(describe(route.trigger()));
        if (route.custodyBroken()) {
            sentence.append("，但按追溯链该包装应在 ").append(route.holder());
            if (route.custodyEvent() != null) {
                sentence.append("（").append(describe(route.custodyEvent())).append('）');
            }
        }
        if (route.tooFast()) {
            ScanEvent previous = route.previousLocated();
            double hours = Explanations.hours(route);
            sentence.append(route.custodyBroken() ? "；轨迹异常：" : "，").append(String.format(Locale.ROOT,
                    "距 %s 的位置 %s 公里，超过 %.1f 小时内可达的 %s 公里", describe(previous), Explanations.kilometres(route.distanceKm()), hours,
                    Explanations.kilometres(route.reachableKm())));
        }
        return sentence.toString();
    }

    private static String unlicensed(Finding.UnlicensedChannel channel) {
        PartyRecord version = channel.version();
        String party = version != null && version.getName() != null ? channel.party() + "（" + version.getName() + "）" : channel.party();
        String licence = version == null || version.getLicenceNo() == null ? "" : " " + version.getLicenceNo();
        String why = switch (channel.why()) {
            case NOT_REGISTERED -> party + " 未在企业登记册中";
            case SUSPENDED -> party + " 在登记册中为暂停（SUSPENDED）";
            case REVOKED -> party + " 在登记册中为吊销（REVOKED）";
            case EXPIRED -> party + " 的许可证" + licence + " 已于 " + version.getLicenceValidTo() + " 过期";
            case NOT_YET_VALID -> party + " 的许可证" + licence + " 自 " + version.getLicenceValidFrom() + " 起才生效";
        };
        String role = channel.counterparty()
                ? (channel.trigger().getEventType() == EventType.RECEIVE ? "，从非法渠道购进：" : "，销往非法渠道：")
                : "：";
        return describe(channel.trigger()) + role + why;
    }

    /** Why a RETRACTED record withdraws an alert. */
    public static String retraction(RuleId rule, String triggerEventId, ScanEvent lateUpload) {
        String because = lateUpload == null ? "该追溯码的历史已变化" : "迟到上传的 " + lateUpload.getEventId() + "（" + describe(lateUpload) + "）";
        return "撤回：因" + because + "，" + triggerEventId + " 不再构成" + ruleName(rule);
    }

    /** E.g. "2026-03-06 10:40 在 PH-120101-0042 销售（2 单位）". */
    static String describe(ScanEvent e) {
        String party = e.getPartyId();
        String counterparty = e.getCounterpartyId();
        String what = switch (e.getEventType()) {
            case COMMISSION -> "由 " + party + " 赋码";
            case SHIP -> "由 " + party + " 发货" + (counterparty == null ? "" : "至 " + counterparty);
            case RECEIVE -> "在 " + party + " 入库扫码" + (counterparty == null ? "" : "（来自 " + counterparty + "）");
            case SELL -> "在 " + party + " 销售" + units(e);
            case DISPENSE -> "在 " + party + " 发药" + units(e);
            case SETTLE -> "为 " + party + " 医保结算" + units(e);
            case RETURN -> "由 " + party + " 退回" + (counterparty == null ? "" : "至 " + counterparty);
            case DESTROY -> "在 " + party + " 销毁";
        };
        return Times.localMinute(e.getEventTime(), e.getEventTimeOffsetS()) + " " + what;
    }

    private static String units(ScanEvent e) {
        return e.getQuantity() == null ? "" : "（拆零 " + e.getQuantity() + " 单位）";
    }
}
