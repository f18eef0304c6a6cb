package io.mcpaudit.streams.alert;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link Alert} for one detection: the rule's identity from its {@link DetectorSpec}, the
 * facts from the triggering event. The dedup key groups repeats of the same finding; the final
 * alert id is assigned by the dedup stage.
 */
public final class AlertDraft {
  private static final int EXCERPT_LIMIT = 280;

  private final DetectorSpec spec;
  private final AlertSubject subject;
  private String title;
  private String description;
  private String excerpt;
  private String dedupSubject = "";
  private boolean acrossSessions;
  private final List<String> evidence = new ArrayList<>();
  private final Map<String, String> attributes = new LinkedHashMap<>();

  private AlertDraft(DetectorSpec spec, AlertSubject subject) {
    this.spec = spec;
    this.subject = subject;
    this.title = spec.title();
    this.evidence.add(subject.eventId());
  }

  public static AlertDraft of(DetectorSpec spec, AuditEvent event) {
    return new AlertDraft(spec, AlertSubject.of(event));
  }

  public static AlertDraft of(DetectorSpec spec, AlertSubject subject) {
    return new AlertDraft(spec, subject);
  }

  public AlertDraft title(String title) {
    this.title = title;
    return this;
  }

  public AlertDraft description(String description) {
    this.description = description;
    return this;
  }

  public AlertDraft excerpt(String text) {
    this.excerpt = text == null ? null : text.length() <= EXCERPT_LIMIT ? text : text.substring(0, EXCERPT_LIMIT) + "…";
    return this;
  }

  /** What makes two detections "the same finding" besides rule and session (e.g. the tool name). */
  public AlertDraft dedupOn(String subject) {
    this.dedupSubject = subject == null ? "" : subject;
    return this;
  }

  /** Earlier events that are part of the evidence; the triggering event is always included. */
  /** For findings about a token, tool or identity rather than one session: repeats in other sessions merge too. */
  public AlertDraft dedupAcrossSessions(String subject) {
    this.dedupSubject = subject == null ? "" : subject;
    this.acrossSessions = true;
    return this;
  }

  public AlertDraft evidence(List<String> eventIds) {
    for (String id : eventIds) {
      if (id != null && !evidence.contains(id)) {
        evidence.add(0, id);
      }
    }
    return this;
  }

  public AlertDraft attribute(String name, Object value) {
    if (value != null) {
      attributes.put(name, value.toString());
    }
    return this;
  }

  public Alert build() {
    return Alert.newBuilder()
        .setAlertId("")
        .setCategory(spec.category())
        .setRuleId(spec.ruleId())
        .setSeverity(spec.severity())
        .setTitle(title)
        .setDescription(description)
        .setSessionId(subject.sessionId())
        .setEvidenceEventIds(List.copyOf(evidence))
        .setExcerpt(excerpt)
        .setDedupKey(spec.ruleId() + "|" + (acrossSessions ? "*" : subject.sessionId()) + "|" + dedupSubject)
        .setFirstSeen(subject.at())
        .setLastSeen(subject.at())
        .setCount(1)
        .setServerName(subject.serverName())
        .setUser(subject.user())
        .setClientAgent(subject.clientAgent())
        .setAttributes(attributes)
        .build();
  }
}
