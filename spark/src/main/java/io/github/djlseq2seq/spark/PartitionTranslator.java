package io.github.djlseq2seq.spark;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.inference.CorpusTranslation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Translates the rows of one partition: takes them a window at a time, translates each window's
 * texts in batches of similar length ({@link CorpusTranslation}), and gives every row back, in its
 * order, with its translation appended as the last field. A null text gives a null translation.
 *
 * <p>Runs on the executors: what it holds is serialised with the task, and the model comes from
 * {@link ExecutorModels}, loaded once per JVM.
 */
final class PartitionTranslator implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final String location;
    private final TreeMap<String, String> arguments;
    private final int inputField;
    private final int batchSize;
    private final int window;

    /**
     * Creates the function.
     *
     * @param location the model location every executor can read
     * @param arguments the Criteria arguments (decoding options)
     * @param inputField the index of the text field in each row
     * @param batchSize the sentences per predictor call
     * @param window the rows sorted by length together; also the most rows held in memory
     */
    PartitionTranslator(
            String location,
            Map<String, String> arguments,
            int inputField,
            int batchSize,
            int window) {
        this.location = location;
        this.arguments = new TreeMap<>(arguments);
        this.inputField = inputField;
        this.batchSize = batchSize;
        this.window = window;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Predictor<String, String> predictor =
                ExecutorModels.get(location, arguments).newPredictor();
        TaskContext task = TaskContext.get();
        if (task != null) {
            // also when the task fails or its output is not read to the end
            task.addTaskCompletionListener((TaskCompletionListener) context -> predictor.close());
        }
        return new Translated(rows, predictor);
    }

    /** The rows of a partition with their translations, computed a window at a time. */
    private final class Translated implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final Predictor<String, String> predictor;
        private Iterator<Row> current = List.<Row>of().iterator();

        Translated(Iterator<Row> rows, Predictor<String, String> predictor) {
            this.rows = rows;
            this.predictor = predictor;
        }

        @Override
        public boolean hasNext() {
            if (!current.hasNext() && rows.hasNext()) {
                current = nextWindow();
            }
            if (!current.hasNext()) {
                predictor.close();
                return false;
            }
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        private Iterator<Row> nextWindow() {
            List<Row> taken = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            while (taken.size() < window && rows.hasNext()) {
                Row row = rows.next();
                taken.add(row);
                if (!row.isNullAt(inputField)) {
                    texts.add(row.getString(inputField));
                }
            }
            List<String> translations;
            try {
                translations =
                        CorpusTranslation.translate(predictor, texts, batchSize).getHypotheses();
            } catch (TranslateException e) {
                throw new IllegalStateException(
                        "Cannot translate with model " + location + ": " + e.getMessage(), e);
            }
            List<Row> out = new ArrayList<>(taken.size());
            Iterator<String> translation = translations.iterator();
            for (Row row : taken) {
                Object[] values = new Object[row.size() + 1];
                for (int i = 0; i < row.size(); i++) {
                    values[i] = row.get(i);
                }
                values[row.size()] = row.isNullAt(inputField) ? null : translation.next();
                out.add(RowFactory.create(values));
            }
            return out.iterator();
        }
    }
}
