package io.mcpaudit.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that talks to a real Kafka broker, schema registry and OpenSearch node.
 * Fields and parameters of type {@link io.mcpaudit.stack.StackEndpoints} receive their addresses.
 * The servers are started once and shared; see {@link RealServicesExtension} for where they come from.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RealServicesExtension.class)
public @interface RealServices {}
