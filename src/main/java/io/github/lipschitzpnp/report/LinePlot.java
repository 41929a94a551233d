package io.github.lipschitzpnp.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A line plot with named series, written as PNG (works headless). */
public final class LinePlot {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private final Map<String, Boolean> markers = new LinkedHashMap<>();
    private boolean logY;
    private boolean logX;
    private boolean legendAlways;
    private boolean legendNever;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a series of points (x[i], y[i]); {@code showMarkers} draws a dot at each point. */
    public LinePlot add(String name, double[] x, double[] y, boolean showMarkers) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y lengths differ: " + x.length + " vs " + y.length);
        }
        series.put(name, new double[][] {x.clone(), y.clone()});
        markers.put(name, showMarkers);
        return this;
    }

    public LinePlot logY() {
        logY = true;
        return this;
    }

    /** Shows the legend even for a single series (whose name then says what it is). */
    public LinePlot legend() {
        legendAlways = true;
        return this;
    }

    /** No legend, however many series (many curves of one kind, e.g. one per slice). */
    public LinePlot hideLegend() {
        legendNever = true;
        return this;
    }

    public LinePlot logX() {
        logX = true;
        return this;
    }

    /** Writes the plot as a PNG of the given size, atomically. */
    public void writePng(Path file, int width, int height) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[][] xy = e.getValue();
            for (int i = 0; i < xy[0].length; i++) {
                if (Double.isFinite(xy[1][i]) && (!logY || xy[1][i] > 0)) {
                    s.add(xy[0][i], xy[1][i]);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
                PlotOrientation.VERTICAL, !legendNever && (series.size() > 1 || legendAlways), false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (!logY && plot.getRangeAxis() instanceof org.jfree.chart.axis.NumberAxis n) {
            n.setAutoRangeIncludesZero(false); // PSNR curves and the like live far from 0
        }
        if (logY) {
            LogAxis axis = new LogAxis(yLabel);
            axis.setSmallestValue(1e-12);
            plot.setRangeAxis(axis);
        }
        if (logX) {
            LogAxis axis = new LogAxis(xLabel);
            axis.setBase(2);
            plot.setDomainAxis(axis);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        int i = 0;
        for (Boolean m : markers.values()) {
            renderer.setSeriesShapesVisible(i, m);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            i++;
        }
        plot.setRenderer(renderer);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }
}
