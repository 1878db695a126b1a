package dev.lifecycle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyRulesTest {
  private static LifecycleConfig config(Map<String, String> sets) {
    return LifecycleConfig.from(Settings.defaults().with(sets, "--set"));
  }

  private static String action(StrategyRules rules, String stage, String value, String alive, String status) {
    return rules.ruleFor(List.of(stage, value, alive, status)).action();
  }

  @Test
  void theDefaultRulesGiveTheLiteraturesActionsByPhase() {
    StrategyRules rules = config(Map.of()).strategy().rules();
    assertThat(rules.actions()).containsOnlyKeys("acquire", "develop", "retain", "win_back", "let_go");
    assertThat(action(rules, "lost", "hh", "low", "lost")).isEqualTo("win_back");
    assertThat(action(rules, "lost", "ll", "none", "none")).isEqualTo("let_go");
    assertThat(action(rules, "stability", "hl", "mid", "lapsed")).isEqualTo("win_back");
    assertThat(action(rules, "exploration", "ll", "high", "new")).isEqualTo("acquire");
    assertThat(action(rules, "decline", "lh", "mid", "repeating")).isEqualTo("retain");
    assertThat(action(rules, "stability", "hh", "high", "repeating")).isEqualTo("retain");
    assertThat(action(rules, "formation", "lh", "high", "repeating")).isEqualTo("develop");
    assertThat(action(rules, "formation", "ll", "low", "reactivated")).isEqualTo("let_go");
    assertThat(action(rules, "formation", "ll", "mid", "none")).isEqualTo("develop");
    assertThat(rules.rules()).hasSize(8);
  }

  @Test
  void everyCombinationIsListedOnceAtItsPlaceInMixedRadix() {
    List<List<String>> combinations = StrategyRules.combinations();
    assertThat(combinations).hasSize(6 * 5 * 4 * 6).doesNotHaveDuplicates();
    for (int place = 0; place < combinations.size(); place++) {
      List<String> values = combinations.get(place);
      int computed = 0;
      int i = 0;
      for (List<String> domain : StrategyRules.DIMENSIONS.values()) {
        computed = computed * domain.size() + domain.indexOf(values.get(i++));
      }
      assertThat(computed).as("place of %s", values).isEqualTo(place);
    }
  }

  @Test
  void aRuleSetThatLeavesACombinationUncoveredIsRefusedNamingIt() {
    assertThatThrownBy(() -> config(Map.of("strategy.rules", "retain: stage=stability; develop: stage=exploration,formation,decline,lost,none value=ll,lh,hl,hh")))
        .hasMessage(
            "Invalid value 'retain: stage=stability; develop: stage=exploration,formation,decline,lost,none"
                + " value=ll,lh,hl,hh' for config key 'strategy.rules' (from --set): no rule gives stage=exploration"
                + " value=none alive=low status=new an action; add one (a last rule without conditions,"
                + " 'develop:', covers every customer)");
  }

  @Test
  void aBadRuleIsRefusedNamingIt() {
    assertThatThrownBy(() -> config(Map.of("strategy.rules", "call: stage=lost; develop:")))
        .hasMessageEndingWith(
            "rule 'call: stage=lost' names action 'call', which strategy.actions does not define (acquire, develop,"
                + " retain, win_back, let_go)");
    assertThatThrownBy(() -> config(Map.of("strategy.rules", "retain: stage=dormant; develop:")))
        .hasMessageEndingWith(
            "rule 'retain: stage=dormant': stage has no value 'dormant' (exploration, formation, stability, decline,"
                + " lost, none)");
    assertThatThrownBy(() -> config(Map.of("strategy.rules", "retain: quadrant=hh; develop:")))
        .hasMessageEndingWith(
            "rule 'retain: quadrant=hh': condition 'quadrant=hh' needs the form name=value,value with a name of"
                + " stage, value, alive, status");
    assertThatThrownBy(() -> config(Map.of("strategy.rules", "stage=lost")))
        .hasMessageEndingWith("rule 'stage=lost' needs the form 'action: stage=… value=… alive=… status=…'");
    assertThatThrownBy(() -> config(Map.of("strategy.actions", "retain keep them")))
        .hasMessage(
            "Invalid value 'retain keep them' for config key 'strategy.actions' (from --set): action 'retain keep"
                + " them' needs the form 'code = text' with a lower-case code");
    assertThatThrownBy(() -> config(Map.of("strategy.actions", "a = x; a = y", "strategy.rules", "a:")))
        .hasMessageEndingWith("action 'a' is given twice");
    for (String bands : List.of("0.7,0.3", "0.3", "low,high", "0,0.5")) {
      assertThatThrownBy(() -> config(Map.of("strategy.alive-bands", bands)))
          .hasMessageEndingWith("for config key 'strategy.alive-bands' (from --set): expected L,H with 0 < L < H < 1");
    }
  }

  @Test
  void ownActionsAndRulesAreTaken() {
    LifecycleConfig config =
        config(Map.of("strategy.actions", "call = call them", "strategy.rules", "call:", "strategy.alive-bands", "0.2,0.9"));
    assertThat(action(config.strategy().rules(), "lost", "ll", "low", "lost")).isEqualTo("call");
    assertThat(config.strategy().lowAliveBelow()).isEqualTo(0.2);
    assertThat(config.strategy().highAliveFrom()).isEqualTo(0.9);
  }
}
