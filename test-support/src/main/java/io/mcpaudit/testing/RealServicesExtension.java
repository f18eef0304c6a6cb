package io.mcpaudit.testing;

import io.mcpaudit.stack.StackEndpoints;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives integration tests the endpoints of real servers, from the first source that applies:
 * <ol>
 *   <li>{@code MCP_AUDIT_IT_KAFKA}, {@code MCP_AUDIT_IT_REGISTRY} and {@code MCP_AUDIT_IT_OPENSEARCH}, all set:
 *       an existing deployment;</li>
 *   <li>a Docker engine: Testcontainers, once per test JVM;</li>
 *   <li>otherwise the local stack in {@code <repo>/target/it-stack}, shared by every test JVM of the build.</li>
 * </ol>
 * {@code MCP_AUDIT_IT_PROVIDER=testcontainers} or {@code local-stack} forces the choice between the last two.
 */
public final class RealServicesExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServicesExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    inject(context.getRequiredTestClass(), null, context);
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
    inject(testInstance.getClass(), testInstance, context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StackEndpoints.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return endpoints(context);
  }

  /** Static fields when {@code instance} is null, instance fields otherwise; superclasses included. */
  private static void inject(Class<?> type, Object instance, ExtensionContext context) throws IllegalAccessException {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        boolean isStatic = Modifier.isStatic(field.getModifiers());
        if (field.getType() == StackEndpoints.class && isStatic == (instance == null)
            && !Modifier.isFinal(field.getModifiers())) {
          field.setAccessible(true);
          field.set(instance, endpoints(context));
        }
      }
    }
  }

  /**
   * Kept in the root context's store, which lives as long as the test JVM's whole run: that is what
   * makes the servers start once per JVM instead of once per test class, without static state.
   */
  private static StackEndpoints endpoints(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedServices.class, key -> SharedServices.start(), SharedServices.class)
        .endpoints();
  }
}
