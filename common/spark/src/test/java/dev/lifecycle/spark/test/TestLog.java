package dev.lifecycle.spark.test;

import java.io.Writer;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** The log events of a piece of work, for tests that check what a run logs. */
public final class TestLog {
  private TestLog() {}

  /**
   * What {@code work} returns, with every log event of WARN and above it caused written to {@code
   * log} as {@code LEVEL logger: message}.
   */
  public static <T> T capturing(Writer log, Supplier<T> work) {
    LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    WriterAppender capture =
        WriterAppender.newBuilder()
            .setName("test-log-capture")
            .setTarget(log)
            .setLayout(PatternLayout.newBuilder().withPattern("%p %c{1}: %m%n").build())
            .build();
    capture.start();
    LoggerConfig root = logging.getConfiguration().getRootLogger();
    root.addAppender(capture, Level.WARN, null);
    logging.updateLoggers();
    try {
      return work.get();
    } finally {
      root.removeAppender(capture.getName());
      logging.updateLoggers();
      capture.stop();
    }
  }
}
