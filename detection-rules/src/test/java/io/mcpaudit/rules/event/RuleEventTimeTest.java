package io.mcpaudit.rules.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RuleEventTimeTest {

  @Test
  void theFastPathReadsWhatInstantToStringWritesExactlyAsInstantParseDoes() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong(0, 253_402_300_799L); // up to 9999-12-31T23:59:59Z
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      String text = Instant.ofEpochSecond(seconds, nanos).toString();
      assertThat(RuleEvent.parseUtc(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void otherShapesAreLeftToTheGeneralParsers() {
    for (String text : new String[] {"2026-11-20T10:00:00+02:00", "2026-11-20 10:00:00Z", "2026-13-20T10:00:00Z",
        "2026-02-30T10:00:00Z", "2026-11-20T10:00:00.Z", "2026-11-20T10:00:00.1234567890Z", "2026-11-2OT10:00:00Z",
        "+12026-11-20T10:00:00Z", "yesterday"}) {
      assertThat(RuleEvent.parseUtc(text)).as(text).isNull();
    }
    assertThat(new RuleEvent(Map.of("@timestamp", "2026-11-20T10:00:00+02:00"), DerivedFields.NONE).timestamp())
        .contains(Instant.parse("2026-11-20T08:00:00Z"));
    assertThat(new RuleEvent(Map.of("@timestamp", "2026-11-20T10:00:00.250Z"), DerivedFields.NONE).timestamp())
        .contains(Instant.parse("2026-11-20T10:00:00.250Z"));
    assertThat(new RuleEvent(Map.of("@timestamp", "2026-02-30T10:00:00Z"), DerivedFields.NONE).timestamp()).isEmpty();
  }
}
