package io.stampede.plan;

import io.stampede.input.Located;
import io.stampede.ledger.BudgetPolicy;
import io.stampede.ledger.LedgerSpec;
import io.stampede.ledger.Periods;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the plan says of its error budget across runs: {@code ledger: FILE} (relative to the
 * plan), {@code policy: { minBudgetLeft: 50% }} and each SLO's {@code period: 30d}. The SLOs
 * themselves are {@link SlosSection}'s; this reads only their period.
 */
final class PolicySection {

    static final List<String> POLICY_KEYS = List.of("minBudgetLeft");

    private PolicySection() {
    }

    /** The plan's ledger settings; each problem goes to {@code problems}, and its value is left out. */
    static LedgerSpec read(Path planFile, Map<String, YamlNode> top, List<String> problems) {
        Optional<Located<Path>> file = Optional.empty();
        if (top.containsKey("ledger")) {
            YamlNode node = top.get("ledger");
            file = Optional.of(new Located<>(PlanFile.resolve(planFile, node.text()), node.where()));
        }
        Map<String, Duration> periods = new HashMap<>();
        if (top.containsKey("slos") && top.get("slos").kind() == YamlNode.Kind.ARRAY) { // else SlosSection says what is wrong
            List<YamlNode> slos = top.get("slos").array();
            for (int i = 0; i < slos.size(); i++) {
                YamlNode slo = slos.get(i);
                int index = i;
                PlanFile.collect(problems, () -> period(slo, index, periods));
            }
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

    private static void period(YamlNode slo, int index, Map<String, Duration> periods) {
        if (slo.kind() != YamlNode.Kind.OBJECT) {
            return; // SlosSection says what is wrong with it
        }
        Map<String, YamlNode> fields = slo.anyObject();
        if (!fields.containsKey("period")) {
            return;
        }
        YamlNode node = fields.get("period");
        String name = fields.containsKey("name") && fields.get("name").kind() == YamlNode.Kind.SCALAR
                ? fields.get("name").text() : "slo-" + (index + 1); // as SlosSection names it
        try {
            periods.put(name, Periods.parse(node.text()));
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
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
