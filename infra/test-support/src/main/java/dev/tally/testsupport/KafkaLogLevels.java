package dev.tally.testsupport;

import java.lang.reflect.Method;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * An in-process broker logs hundreds of INFO lines (configs, raft, coordinators) into the test
 * output of whichever module uses it. A logback-test.xml in this jar would override the consuming
 * module's own one, so instead the broker loggers are turned down programmatically, and only
 * where nobody configured a level. Reflection keeps Logback an optional runtime guest: modules
 * without it (or with another SLF4J binding) are left alone.
 */
final class KafkaLogLevels {

    private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";
    private static final String[] NOISY_LOGGERS = {"kafka", "org.apache.kafka", "state.change.logger"};

    private KafkaLogLevels() {
    }

    static void quietUnlessConfigured() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals(LOGBACK_CONTEXT)) {
            return;
        }
        try {
            Class<?> levelType = Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
            Object warn = levelType.getField("WARN").get(null);
            for (String name : NOISY_LOGGERS) {
                Object logger = factory.getLogger(name);
                Method getLevel = logger.getClass().getMethod("getLevel");
                if (getLevel.invoke(logger) == null) {
                    logger.getClass().getMethod("setLevel", levelType).invoke(logger, warn);
                }
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // Purely cosmetic; a Logback API change must never fail a test run.
        }
    }
}
