package io.mcpaudit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkSelectorTest {

  @TempDir
  Path jvms;

  @Test
  void picksTheFirstCandidateInsideTheRange() throws Exception {
    Path jdk25 = fakeJdk("temurin-25", "JAVA_VERSION=\"25.0.1\"");
    Path jdk17 = fakeJdk("openjdk-17", "JAVA_VERSION=\"17.0.15\"");
    JdkSelector selector = new JdkSelector(List.of(jdk25, jdk17));

    assertThat(selector.select("OpenSearch 2.19.6", new JdkRange(17, 23)).major()).isEqualTo(17);
    assertThat(selector.select("Kafka 4.3.1", JdkRange.atLeast(17)).major()).isEqualTo(25);
  }

  @Test
  void namesEveryJdkFoundWhenNoneFits() throws IOException {
    Path jdk25 = fakeJdk("temurin-25", "JAVA_VERSION=\"25\"");
    Path jdk11 = fakeJdk("openjdk-11", "JAVA_VERSION=\"11.0.2\"");
    JdkSelector selector = new JdkSelector(List.of(jdk25, jdk11));

    assertThatThrownBy(() -> selector.select("OpenSearch 2.19.6", new JdkRange(17, 23)))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("OpenSearch 2.19.6")
        .hasMessageContaining("Java 17 to 23")
        .hasMessageContaining("Java 25 at " + jdk25.toRealPath())
        .hasMessageContaining("Java 11.0.2 at " + jdk11.toRealPath());
  }

  @Test
  void ignoresFoldersThatAreNotJdksAndCountsALinkedJdkOnce() throws IOException {
    Path jdk17 = fakeJdk("java-17", "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"17.0.9\"\n");
    Path link = Files.createSymbolicLink(jvms.resolve("java-1.17.0"), jdk17);
    Path noRelease = Files.createDirectories(jvms.resolve("broken"));
    Path noJava = Files.createDirectories(jvms.resolve("jre-without-java"));
    Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"21\"");

    JdkSelector selector = new JdkSelector(List.of(noRelease, jdk17, link, noJava));

    assertThat(selector.candidates()).extracting(Jdk::version).containsExactly("17.0.9");
  }

  @Test
  void readsLegacyAndEarlyAccessVersionStrings() {
    assertThat(Jdk.majorOf("1.8.0_402")).isEqualTo(8);
    assertThat(Jdk.majorOf("17.0.15")).isEqualTo(17);
    assertThat(Jdk.majorOf("25")).isEqualTo(25);
    assertThat(Jdk.majorOf("26-ea")).isEqualTo(26);
  }

  @Test
  void anOverrideIsTheOnlyCandidate() throws IOException {
    Path jdk21 = fakeJdk("custom-21", "JAVA_VERSION=\"21.0.4\"");

    JdkSelector selector = JdkSelector.forMachine(jdk21, jvms);

    assertThat(selector.candidates()).extracting(Jdk::major).containsExactly(21);
  }

  private Path fakeJdk(String name, String release) throws IOException {
    Path home = Files.createDirectories(jvms.resolve(name));
    Files.writeString(home.resolve("release"), release);
    Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }
}
