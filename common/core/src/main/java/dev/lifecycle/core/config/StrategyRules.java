package dev.lifecycle.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The action for each customer, the literature's strategies by phase (acquisition, development,
 * retention, win-back), as ordered rules over four dimensions; the first rule that matches wins.
 * Written as {@code action: stage=decline,lost value=hh,hl alive=low status=lapsed; ...}: a
 * dimension left out matches every value, and a rule with no condition matches every customer.
 * The rules must give every combination of the dimensions' values an action, and every action
 * must be one of {@code strategy.actions}.
 *
 * <ul>
 *   <li>{@code stage}: the lifecycle stage;
 *   <li>{@code value}: the value quadrant as current × potential, {@code ll}, {@code lh}, {@code
 *       hl} or {@code hh};
 *   <li>{@code alive}: the band of P(alive), {@code low}, {@code mid} or {@code high} ({@code
 *       strategy.alive-bands});
 *   <li>{@code status}: the migration status since the previous snapshot.
 * </ul>
 *
 * Each dimension also has {@code none}: not known (no previous snapshot, no fitted purchase model).
 */
public final class StrategyRules {
  /** Each dimension's name in a rule and its values, in the order coverage is checked. */
  public static final Map<String, List<String>> DIMENSIONS = dimensions();

  public static final String DEFAULT_ACTIONS =
      "acquire = acquire and onboard: welcome, a first repeat purchase;"
          + " develop = develop: up-sell and cross-sell;"
          + " retain = retain: loyalty programme and service;"
          + " win_back = win back: a reactivation offer;"
          + " let_go = let go: no paid contact";

  public static final String DEFAULT_RULES =
      "win_back: stage=lost value=hh,hl,lh; let_go: stage=lost;"
          + " win_back: status=lapsed,lost value=hh,hl alive=low,mid;"
          + " acquire: stage=exploration; retain: stage=decline; retain: value=hh,hl;"
          + " let_go: value=ll alive=low; develop:";

  /** One rule: its place (from 1), its action, and the values each dimension allows. */
  public record Rule(int number, String action, List<Set<String>> allowed) {
    boolean matches(List<String> values) {
      for (int i = 0; i < values.size(); i++) {
        if (!allowed.get(i).contains(values.get(i))) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Rule> rules;
  private final Map<String, String> actions;

  private StrategyRules(List<Rule> rules, Map<String, String> actions) {
    this.rules = rules;
    this.actions = actions;
  }

  private static Map<String, List<String>> dimensions() {
    Map<String, List<String>> dimensions = new LinkedHashMap<>();
    dimensions.put("stage", List.of("exploration", "formation", "stability", "decline", "lost", "none"));
    dimensions.put("value", List.of("ll", "lh", "hl", "hh", "none"));
    dimensions.put("alive", List.of("low", "mid", "high", "none"));
    dimensions.put("status", List.of("new", "repeating", "reactivated", "lapsed", "lost", "none"));
    return Collections.unmodifiableMap(dimensions);
  }

  /** The rules, in order. */
  public List<Rule> rules() {
    return rules;
  }

  /** Each action's code and text, in the order given. */
  public Map<String, String> actions() {
    return actions;
  }

  /**
   * Parses the actions ({@code code = text; ...}) and the rules; {@code rulesError} and {@code
   * actionsError} turn a reason into the exception to throw, naming the config key.
   */
  public static StrategyRules parse(
      String rules,
      String actions,
      Function<String, RuntimeException> rulesError,
      Function<String, RuntimeException> actionsError) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String entry : actions.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String code = equals < 0 ? "" : entry.substring(0, equals).trim();
      if (!code.matches("[a-z][a-z0-9_]*") || entry.substring(equals + 1).isBlank()) {
        throw actionsError.apply("action '" + entry.trim() + "' needs the form 'code = text' with a lower-case code");
      }
      if (texts.put(code, entry.substring(equals + 1).trim()) != null) {
        throw actionsError.apply("action '" + code + "' is given twice");
      }
    }
    List<String> names = List.copyOf(DIMENSIONS.keySet());
    List<Rule> parsed = new ArrayList<>();
    for (String text : rules.split(";")) {
      if (text.isBlank()) {
        continue;
      }
      String rule = text.trim();
      int colon = rule.indexOf(':');
      String action = colon < 0 ? "" : rule.substring(0, colon).trim();
      if (action.isEmpty()) {
        throw rulesError.apply("rule '" + rule + "' needs the form 'action: stage=… value=… alive=… status=…'");
      }
      if (!texts.containsKey(action)) {
        throw rulesError.apply(
            "rule '" + rule + "' names action '" + action + "', which strategy.actions does not define (" + String.join(", ", texts.keySet()) + ")");
      }
      List<Set<String>> allowed = new ArrayList<>();
      names.forEach(name -> allowed.add(new LinkedHashSet<>(DIMENSIONS.get(name))));
      for (String condition : rule.substring(colon + 1).trim().split("\\s+")) {
        if (condition.isEmpty()) {
          continue;
        }
        int equals = condition.indexOf('=');
        String name = equals < 0 ? condition : condition.substring(0, equals);
        int index = names.indexOf(name);
        if (equals < 0 || index < 0) {
          throw rulesError.apply(
              "rule '" + rule + "': condition '" + condition + "' needs the form name=value,value with a name of "
                  + String.join(", ", names));
        }
        Set<String> values = new LinkedHashSet<>();
        for (String value : condition.substring(equals + 1).split(",")) {
          if (!DIMENSIONS.get(name).contains(value)) {
            throw rulesError.apply(
                "rule '" + rule + "': " + name + " has no value '" + value + "' (" + String.join(", ", DIMENSIONS.get(name)) + ")");
          }
          values.add(value);
        }
        allowed.set(index, values);
      }
      parsed.add(new Rule(parsed.size() + 1, action, allowed));
    }
    StrategyRules strategy = new StrategyRules(List.copyOf(parsed), texts);
    strategy.checkCovered(rulesError);
    return strategy;
  }

  /** The rule for one combination of values (in the order of {@link #DIMENSIONS}), or null. */
  public Rule ruleFor(List<String> values) {
    for (Rule rule : rules) {
      if (rule.matches(values)) {
        return rule;
      }
    }
    return null;
  }

  /**
   * Every combination of the dimensions' values, each in the order of {@link #DIMENSIONS}; the
   * last dimension's value changes fastest, so a combination's place is its values' places in
   * mixed radix.
   */
  public static List<List<String>> combinations() {
    List<List<String>> combinations = List.of(List.of());
    for (List<String> values : DIMENSIONS.values()) {
      List<List<String>> longer = new ArrayList<>();
      for (List<String> combination : combinations) {
        for (String value : values) {
          List<String> next = new ArrayList<>(combination);
          next.add(value);
          longer.add(List.copyOf(next));
        }
      }
      combinations = longer;
    }
    return combinations;
  }

  private void checkCovered(Function<String, RuntimeException> rulesError) {
    List<String> names = List.copyOf(DIMENSIONS.keySet());
    for (List<String> combination : combinations()) {
      if (ruleFor(combination) == null) {
        StringBuilder named = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
          named.append(i == 0 ? "" : " ").append(names.get(i)).append('=').append(combination.get(i));
        }
        throw rulesError.apply(
            "no rule gives " + named + " an action; add one (a last rule without conditions, 'develop:', covers every customer)");
      }
    }
  }
}
