package io.mcpaudit.testing;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;

/**
 * The heap one fuzz input may cost on the calling thread: a fixed allowance plus so much per input
 * byte, so that no input makes its parser allocate out of proportion to its size. Loading a class
 * allocates too (and while fuzzing Jazzer instruments each class as it loads), so an input during
 * which classes were loaded is not judged: an input that really allocates too much does so again.
 */
public final class AllocationBudget {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

  private final long fixedBytes;
  private final long bytesPerInputByte;

  public AllocationBudget(long fixedBytes, long bytesPerInputByte) {
    this.fixedBytes = fixedBytes;
    this.bytesPerInputByte = bytesPerInputByte;
  }

  /** Starts measuring one input on the current thread. */
  public Measurement start() {
    return new Measurement(THREADS.getCurrentThreadAllocatedBytes(), CLASSES.getTotalLoadedClassCount());
  }

  /** What the current thread allocated since {@link #start()}. */
  public final class Measurement {
    private final long allocatedBefore;
    private final long classesBefore;

    private Measurement(long allocatedBefore, long classesBefore) {
      this.allocatedBefore = allocatedBefore;
      this.classesBefore = classesBefore;
    }

    /** Fails when the input of {@code inputBytes} cost more than the budget. */
    public void assertWithin(long inputBytes) {
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
      if (CLASSES.getTotalLoadedClassCount() != classesBefore) {
        return;
      }
      long budget = fixedBytes + bytesPerInputByte * inputBytes;
      if (allocated > budget) {
        throw new AssertionError("an input of " + inputBytes + " bytes allocated " + allocated + " bytes, over its budget of "
            + budget + " (" + fixedBytes + " + " + bytesPerInputByte + " per input byte)");
      }
    }
  }
}
