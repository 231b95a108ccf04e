package io.stampede.plan;

import io.stampede.input.Located;
import io.stampede.ledger.BudgetPolicy;
import io.stampede.ledger.LedgerSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the plan says of its error budget across runs: {@code ledger: FILE} (relative to the
 * plan) and {@code policy: { minBudgetLeft: 50% }}. Each SLO's {@code period: 30d} is read with the
 * SLO by {@link SlosSection}, which alone knows its name (an OpenSLO file's own).
 */
final class PolicySection {

    static final List<String> POLICY_KEYS = List.of("minBudgetLeft");

    private PolicySection() {
    }

    /** The plan's ledger settings, with the SLOs' periods as {@link SlosSection} read them; a problem is thrown. */
    static LedgerSpec read(Path planFile, Map<String, YamlNode> top, Map<String, Duration> periods) {
        Optional<Located<Path>> file = Optional.empty();
        if (top.containsKey("ledger")) {
            YamlNode node = top.get("ledger");
            file = Optional.of(new Located<>(PlanFile.resolve(planFile, node.text()), node.where()));
        }
        Optional<BudgetPolicy> policy = Optional.empty();
        if (top.containsKey("policy")) {
            YamlNode node = top.get("policy");
            Map<String, YamlNode> fields = node.object(POLICY_KEYS);
            if (!fields.containsKey("minBudgetLeft")) {
                throw node.error("'minBudgetLeft' is required, e.g. policy: { minBudgetLeft: 50% }");
            }
            if (!top.containsKey("slos")) {
                throw node.error("an error-budget policy needs SLOs (slos:) whose budget it keeps");
            }
            YamlNode share = fields.get("minBudgetLeft");
            policy = Optional.of(new BudgetPolicy(share(share), share.where()));
        }
        return new LedgerSpec(file, periods, policy);
    }

    /** {@code 50%}, {@code 50} or {@code "12.5 %"}: a share of the budget from 0% to 100%. */
    private static double share(YamlNode node) {
        String text = node.text().strip();
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1).strip() : text;
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw node.error("minBudgetLeft is a share of the budget such as 50%, got '" + text + "'");
        }
        if (!(value >= 0 && value <= 100)) {
            throw node.error("minBudgetLeft is a share of the budget from 0% to 100%, got " + text);
        }
        return value;
    }
}
