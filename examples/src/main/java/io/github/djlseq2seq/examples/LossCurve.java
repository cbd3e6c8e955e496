package io.github.djlseq2seq.examples;

import io.github.djlseq2seq.train.MetricsLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws the training and validation loss of a {@link MetricsLog} as a PNG picture. */
public final class LossCurve {

    private LossCurve() {}

    /**
     * Plots "loss" and "devLoss" against "step".
     *
     * @param metrics the metrics file
     * @param png the picture to write
     * @throws IOException if reading or writing fails
     */
    public static void plot(Path metrics, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries train = new XYSeries("training loss (label-smoothed)");
        XYSeries dev = new XYSeries("validation loss");
        List<Map<String, Double>> events = MetricsLog.read(metrics);
        for (Map<String, Double> e : events) {
            double step = e.get("step");
            if (e.containsKey("loss")) {
                train.add(step, e.get("loss"));
            }
            if (e.containsKey("devLoss")) {
                dev.add(step, e.get("devLoss"));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(dev);
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        "Loss per target token",
                        "step",
                        "cross-entropy (nats)",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        // points too: a short run may have a single validation
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        chart.getXYPlot().setRenderer(renderer);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 500);
    }
}
