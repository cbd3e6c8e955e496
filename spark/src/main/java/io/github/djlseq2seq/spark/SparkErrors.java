package io.github.djlseq2seq.spark;

/** Turns a failed Spark job into the error that made it fail. */
final class SparkErrors {

    private SparkErrors() {}

    /**
     * Finds the error under Spark's wrapping: a job that fails on an executor ends in a {@code
     * SparkException} whose message holds the executor's stack trace; its cause chain holds the
     * error itself (e.g. a model that does not exist).
     *
     * @param e what the Spark action threw
     * @return {@code e}, or an exception with the message of the first cause outside Spark's own
     *     classes (and {@code e} as its cause)
     */
    static Exception clear(Exception e) {
        if (!fromSpark(e)) {
            return e;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (!fromSpark(t) && t.getMessage() != null) {
                return new IllegalStateException(t.getMessage(), e);
            }
        }
        return e;
    }

    private static boolean fromSpark(Throwable t) {
        return t.getClass().getName().startsWith("org.apache.spark.");
    }
}
