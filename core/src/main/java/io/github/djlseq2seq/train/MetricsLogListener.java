package io.github.djlseq2seq.train;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Logs training: every {@code logEvery} steps the mean loss, perplexity, throughput and learning
 * rate of the steps since the last line; at each epoch end the validation scores. Each line goes to
 * the log sink and, as one event, to the {@link MetricsLog}.
 */
final class MetricsLogListener extends TrainingListenerAdapter {

    private final RunProgress run;
    private final MetricsLog metrics;
    private final Consumer<String> log;
    private final ResumableAdam adam;
    private double windowLoss;
    private long windowTokens;
    private int windowSteps;
    private double windowStart;

    /**
     * Creates the listener.
     *
     * @param run the run it reports on
     * @param metrics the metrics file
     * @param log the sink of the log lines
     * @param adam the optimizer, for the learning rate
     */
    MetricsLogListener(
            RunProgress run, MetricsLog metrics, Consumer<String> log, ResumableAdam adam) {
        this.run = run;
        this.metrics = metrics;
        this.log = log;
        this.adam = adam;
        this.windowStart = run.elapsed();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        windowLoss += run.lastLoss();
        windowTokens += run.lastTokens();
        windowSteps++;
        TrainingState state = run.state();
        if (state.step % run.settings().getLogEvery() != 0) {
            return;
        }
        double elapsed = run.elapsed();
        double meanLoss = windowLoss / windowSteps;
        double tokensPerSecond = windowTokens / (elapsed - windowStart);
        float lr = adam.learningRateAt(state.step);
        log.accept(
                String.format(
                        "step %6d  epoch %3d  loss %.4f  ppl %9.2f  %7.0f tgt tok/s  lr %.2e  %5.1f min",
                        state.step,
                        state.epoch,
                        meanLoss,
                        Math.exp(meanLoss),
                        tokensPerSecond,
                        lr,
                        elapsed / 60));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("step", state.step);
        event.put("epoch", state.epoch);
        event.put("loss", meanLoss);
        event.put("ppl", Math.exp(meanLoss));
        event.put("tokensPerSecond", tokensPerSecond);
        event.put("lr", lr);
        event.put("elapsedSeconds", elapsed);
        write(event);
        windowLoss = 0;
        windowTokens = 0;
        windowSteps = 0;
        windowStart = elapsed;
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        StringBuilder line = new StringBuilder("validation");
        run.validation()
                .forEach(
                        (k, v) ->
                                line.append("  ")
                                        .append(k)
                                        .append(' ')
                                        .append(
                                                v instanceof Double d
                                                        ? String.format("%.4f", d)
                                                        : String.valueOf(v)));
        log.accept(line.toString());
        write(run.validation());
    }

    private void write(Map<String, ?> event) {
        try {
            metrics.write(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
