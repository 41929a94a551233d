package io.github.lipschitzpnp.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Plot;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.StackStatistics;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.image.ImageCalibration;
import io.github.lipschitzpnp.image.ImageFiles;
import io.github.lipschitzpnp.image.ImagePlusBridge;
import io.github.lipschitzpnp.image.MemoryCheck;
import io.github.lipschitzpnp.image.Scaling;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.pipeline.Angles;
import io.github.lipschitzpnp.pipeline.Optics;
import io.github.lipschitzpnp.pipeline.NoiseLevel;
import io.github.lipschitzpnp.pipeline.Reconstruction;
import io.github.lipschitzpnp.pipeline.Simulation;
import io.github.lipschitzpnp.solve.IterationListener;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Metrics;
import io.github.lipschitzpnp.solve.SolverResult;
import io.github.lipschitzpnp.solve.StopReason;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

/**
 * What the Fiji commands and the ImageJ 1.x bridge do, on {@link ImagePlus} images: walk the
 * channels, frames (and for CT the slices) of the input, hand each volume to the shared
 * {@link Reconstruction} jobs, and assemble a new 32-bit image with the input's dimensions,
 * calibration and info. The input is never modified.
 */
public final class Jobs {

    /**
     * The solver part of a command's parameters. {@code observer} (may be null) is called after
     * every iteration besides the progress bar, e.g. for a live preview in a script; returning
     * false stops like Esc.
     */
    public record Solve(Method method, int iterations, double tolerance, double lambda, double penalty, String model,
            File modelFile, String device, IterationListener observer) {

        public Solve(Method method, int iterations, double tolerance, double lambda, String model, File modelFile,
                String device) {
            this(method, iterations, tolerance, lambda, 1, model, modelFile, device, null);
        }

        public Solve(Method method, int iterations, double tolerance, double lambda, double penalty, String model,
                File modelFile, String device) {
            this(method, iterations, tolerance, lambda, penalty, model, modelFile, device, null);
        }

        public Solve(Method method, int iterations, double tolerance, double lambda, String model, File modelFile,
                String device, IterationListener observer) {
            this(method, iterations, tolerance, lambda, 1, model, modelFile, device, observer);
        }

        /** The penalty applies to the methods that have one; a dialog's value is ignored by the others. */
        Reconstruction.Settings settings() {
            return new Reconstruction.Settings(method, iterations, tolerance, lambda, method.hasPenalty() ? penalty : 1);
        }
    }

    /**
     * A finished job: the new image, per-volume solver results (empty for single-pass jobs), a
     * second image where the job makes one (the simulated mask), and whether Esc stopped it.
     */
    public record Result(ImagePlus image, List<Feedback.Volume> volumes, ImagePlus extra, boolean stopped,
            String summary) {

        /** Residual history of every volume as an ImageJ plot (log scale), or null without volumes. */
        public Plot convergencePlot() {
            if (volumes.isEmpty()) {
                return null;
            }
            Plot plot = new Plot("Convergence: " + image.getTitle(), "iteration", "fixed-point residual");
            plot.setAxisYLog(true);
            StringBuilder legend = new StringBuilder();
            for (Feedback.Volume v : volumes) {
                double[] r = v.result().residuals();
                double[] x = new double[r.length];
                for (int i = 0; i < r.length; i++) {
                    x[i] = i + 1;
                    r[i] = Math.max(r[i], 1e-30);
                }
                plot.addPoints(x, r, Plot.LINE);
                legend.append(v.label()).append('\n');
            }
            plot.addLegend(legend.toString().strip());
            plot.setLimitsToFit(false);
            return plot;
        }

        /** One row per volume: iterations, stop reason, final residual, PSNR/SSIM (NaN without reference). */
        public ResultsTable table() {
            ResultsTable rt = new ResultsTable();
            for (Feedback.Volume v : volumes) {
                SolverResult r = v.result();
                rt.incrementCounter();
                rt.addValue("Image", image.getTitle());
                rt.addValue("Volume", v.label());
                rt.addValue("Iterations", r.iterations());
                rt.addValue("Stop", r.stopReason().toString());
                rt.addValue("Residual", r.finalResidual());
                rt.addValue("PSNR", v.psnr());
                rt.addValue("SSIM", v.ssim());
            }
            return rt;
        }
    }

    /** Computes the result of one channel/frame volume. */
    @FunctionalInterface
    interface VolumeJob {
        Reconstruction.Outcome run(Img<FloatType> volume, int channel, int frame,
                io.github.lipschitzpnp.solve.Denoiser denoiser, IterationListener listener, Img<FloatType> reference);
    }

    private Jobs() {
    }

    /** Working copies of one volume a job may hold at once (solver state, FFT buffers), 4 bytes a pixel each. */
    static final int WORK_COPIES = 8;

    /**
     * Refuses, before anything is allocated, with a clear message: no image, RGB, smaller than
     * {@link ImageFiles#MIN_SIDE} pixels, more than the heap can process (the message gives the
     * -Xmx to use), NaN or infinite pixels.
     */
    static void checkInput(ImagePlus imp, String role) {
        checkInput(imp, role, imp == null ? 0 : wholeImageJobBytes(imp));
    }

    /** A job that holds the whole image and works on one channel-frame volume at a time. */
    private static long wholeImageJobBytes(ImagePlus imp) {
        long plane = MemoryCheck.pixels(imp.getWidth(), imp.getHeight());
        long all = MemoryCheck.bytes(MemoryCheck.pixels(plane, imp.getStackSize()), 4);
        long work = MemoryCheck.bytes(MemoryCheck.pixels(plane, imp.getNSlices()), 4L * WORK_COPIES);
        return MemoryCheck.sum(all, work);
    }

    /**
     * {@link #checkInput(ImagePlus, String)} with the job's own memory need in bytes, for jobs that
     * read the image a plane at a time (Reconstruct CT: its output and one plane's work, so a
     * virtual stack larger than the heap is fine).
     */
    static void checkInput(ImagePlus imp, String role, long bytesNeeded) {
        if (imp == null) {
            throw new IllegalArgumentException("no " + role + " image: open one first");
        }
        String name = role + " \"" + imp.getTitle() + "\"";
        if (imp.getBitDepth() == 24) {
            throw new IllegalArgumentException(name + ": " + ImagePlusBridge.RGB_MESSAGE);
        }
        if (imp.getWidth() < ImageFiles.MIN_SIDE || imp.getHeight() < ImageFiles.MIN_SIDE) {
            throw new IllegalArgumentException(name + " is " + imp.getWidth() + " x " + imp.getHeight()
                    + " pixels: too small to process (at least " + ImageFiles.MIN_SIDE + " x " + ImageFiles.MIN_SIDE
                    + ")");
        }
        MemoryCheck.require(bytesNeeded, "processing " + name + " ("
                + imp.getWidth() + " x " + imp.getHeight() + " x " + imp.getStackSize() + " pixels)", null);
        if (imp.getBitDepth() == 32) {
            ImageStack st = imp.getStack();
            for (int i = 1; i <= st.getSize(); i++) {
                float[] p = (float[]) st.getProcessor(i).getPixels();
                for (int k = 0; k < p.length; k++) {
                    if (!Float.isFinite(p[k])) {
                        long count = 0;
                        for (int s2 = i; s2 <= st.getSize(); s2++) {
                            for (float v : (float[]) st.getProcessor(s2).getPixels()) {
                                count += Float.isFinite(v) ? 0 : 1;
                            }
                        }
                        throw new IllegalArgumentException(name + " has " + count + " non-finite pixel(s) (NaN or "
                                + "infinity), the first (" + p[k] + ") at x=" + k % imp.getWidth() + ", y="
                                + k / imp.getWidth() + ", plane " + i + ". Replace them first, e.g. with Process > "
                                + "Noise > Remove NaNs.");
                    }
                }
            }
        }
    }

    /** One pass of the denoiser on every plane of every channel and frame. */
    public static Result denoise(ImagePlus imp, String model, File modelFile, String device, double noiseSigma) {
        checkInput(imp, "image");
        try (DenoiserModel m = Models.open(model, modelFile, device)) {
            NetworkDenoiser d = new NetworkDenoiser(m);
            int volumes = imp.getNChannels() * imp.getNFrames();
            Feedback fb = new Feedback("Denoise", volumes);
            int[] index = {0};
            ImagePlus out = ImagePlusBridge.mapChannelsAndFrames(imp, "denoised", vol -> {
                fb.step((double) index[0]++ / volumes, "Denoise: volume " + index[0] + "/" + volumes);
                if (fb.cancelled()) {
                    return vol;
                }
                return Reconstruction.denoise(vol, d, noiseSigma, m.noiseSigma()).image();
            });
            boolean stopped = fb.cancelled();
            String what = "denoised-" + m.spec().name() + (stopped ? "-stopped" : "");
            finishImage(out, imp, ImagePlusBridge.title(imp.getTitle(), what),
                    "denoised with " + d.describe() + (noiseSigma > 0 ? ", noise sigma " + noiseSigma : ""));
            fb.finish("Denoise: done" + (stopped ? " (stopped by Esc; later volumes are the input)" : ""));
            return new Result(out, List.of(), null, stopped, d.describe());
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Deconvolution of every channel and frame (3D for z-stacks). {@code psfImage} wins when given;
     * otherwise the PSF is generated from {@code optics} and the image's calibration.
     */
    public static Result deconvolve(ImagePlus imp, ImagePlus psfImage, Optics optics, Boundary boundary, Solve s,
            ImagePlus reference) {
        checkInput(imp, "image");
        Img<FloatType> psf;
        String psfText;
        if (psfImage != null) {
            checkInput(psfImage, "PSF");
            psf = ImagePlusBridge.extract(psfImage, 0, 0);
            psfText = "PSF image \"" + psfImage.getTitle() + "\"";
        } else {
            long[] dims = imp.getNSlices() > 1 ? new long[] {imp.getWidth(), imp.getHeight(), imp.getNSlices()}
                    : new long[] {imp.getWidth(), imp.getHeight()};
            psf = optics.psfFor(dims, ImagePlusBridge.calibration(imp));
            psfText = "generated " + optics;
        }
        if (psf.numDimensions() != (imp.getNSlices() > 1 ? 3 : 2)) {
            throw new IllegalArgumentException("the PSF is " + psf.numDimensions() + "D but \"" + imp.getTitle()
                    + "\" is " + (imp.getNSlices() > 1 ? "a 3D z-stack: use a 3D PSF (a z-stack)" : "2D: use a 2D PSF"));
        }
        Img<FloatType> kernel = psf;
        return perVolume(imp, "Deconvolve", s, reference, psfText, null,
                (vol, c, t, d, l, ref) -> Reconstruction.deconvolve(vol, kernel, boundary, s.settings(), d, l, ref));
    }

    /** Inpainting: the mask (nonzero = observed) has the image's size; one mask may serve all channels/frames. */
    public static Result inpaint(ImagePlus imp, ImagePlus mask, Solve s, ImagePlus reference) {
        checkInput(imp, "image");
        checkInput(mask, "mask");
        if (mask.getWidth() != imp.getWidth() || mask.getHeight() != imp.getHeight()
                || mask.getNSlices() != imp.getNSlices()) {
            throw new IllegalArgumentException("the mask \"" + mask.getTitle() + "\" (" + mask.getWidth() + "x"
                    + mask.getHeight() + "x" + mask.getNSlices() + ") must have the size of \"" + imp.getTitle()
                    + "\" (" + imp.getWidth() + "x" + imp.getHeight() + "x" + imp.getNSlices() + ")");
        }
        return perVolume(imp, "Inpaint", s, reference, "mask \"" + mask.getTitle() + "\"", ImagePlusBridge.extract(mask, 0, 0),
                (vol, c, t, d, l, ref) -> Reconstruction.inpaint(vol,
                        ImagePlusBridge.extract(mask, Math.min(c, mask.getNChannels() - 1),
                                Math.min(t, mask.getNFrames() - 1)), s.settings(), d, l, ref));
    }

    /** The method choices of Reconstruct CT: FBP first, then all solver methods. */
    public static final String FBP = "FBP";

    /**
     * The settings of a CT job: a penalty of 0 (the dialog's default) means "by model",
     * {@link Reconstruction.Settings#ctPenalty(double)} of the denoiser's training sigma.
     */
    static Reconstruction.Settings ctSettings(Solve s, DenoiserModel model) {
        if (s.penalty() == 0 && s.method().hasPenalty()) {
            double rho = Reconstruction.Settings.ctPenalty(model == null ? 0 : model.noiseSigma());
            return new Reconstruction.Settings(s.method(), s.iterations(), s.tolerance(), s.lambda(), rho);
        }
        return s.settings();
    }

    /**
     * CT: every plane of the sinogram image (detectors x angles; slices, channels, frames as planes)
     * gives a size x size slice. {@code anglesFile} null: evenly spaced over 180 degrees.
     * {@code s} null: FBP (Ram-Lak). After Esc, the slices not yet solved get their FBP.
     */
    public static Result reconstructCt(ImagePlus sino, File anglesFile, int size, Solve s, ImagePlus reference)
            throws IOException {
        checkInput(sino, "sinogram", sino == null ? 0 : ctJobBytes(sino, size));
        int nAngles = sino.getHeight();
        double[] angles = anglesFile == null || anglesFile.getPath().isBlank() ? Angles.uniform(nAngles)
                : Angles.read(anglesFile.toPath(), nAngles);
        boolean fbp = s == null;
        Method method = fbp ? null : s.method();
        int n = size > 0 ? size : sino.getWidth();
        int c = sino.getNChannels();
        int z = sino.getNSlices();
        int t = sino.getNFrames();
        checkReference(reference, n);
        ImageStack stack = new ImageStack(n, n);
        Feedback fb = new Feedback("Reconstruct CT", c * z * t);
        boolean stopped = false;
        Solve solve = s;
        DenoiserModel model = null;
        try {
            if (!fbp && method.needsDenoiser()) {
                // as lpnp reconstruct: the noise of the FBP of the middle slice (first channel and frame)
                model = Models.open(s.model(), s.modelFile(), s.device(), () -> NoiseLevel.estimateNormalized(
                        Reconstruction.noiseProbe(zi -> ImagePlusBridge.plane(sino, 0, zi, 0), z,
                                angles, n), null));
            }
            int index = 0;
            for (int ti = 0; ti < t; ti++) {
                for (int zi = 0; zi < z; zi++) {
                    for (int ci = 0; ci < c; ci++) {
                        Img<FloatType> plane = ImagePlusBridge.plane(sino, ci, zi, ti);
                        Img<FloatType> ref = referencePlane(reference, ci, zi, ti);
                        Img<FloatType> slice;
                        if (fbp) {
                            fb.step((double) index / (c * z * t), "Reconstruct CT: FBP of plane " + (index + 1));
                            slice = Reconstruction.fbp(plane, angles, n);
                        } else if (fb.cancelled()) {
                            stopped = true;
                            slice = Reconstruction.fbp(plane, angles, n);
                        } else {
                            Reconstruction.Outcome o = Reconstruction.reconstructCt(plane, angles, n, ctSettings(solve, model),
                                    model == null ? null : new NetworkDenoiser(model),
                                    fb.forVolume(index, s.iterations(), s.observer()), ref);
                            slice = o.image();
                            record(fb, label(ci, zi, ti, c, z, t), o, ref);
                            stopped |= o.result().stopReason() == StopReason.CANCELLED;
                        }
                        stack.addSlice(null, FloatImages.data(slice).clone());
                        index++;
                    }
                }
            }
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            if (model != null) {
                model.close();
            }
        }
        String what = (fbp ? "FBP" : method.displayName() + "-" + maxIterations(fb) + "it") + (stopped ? "-stopped" : "");
        ImagePlus out = new ImagePlus(ImagePlusBridge.title(sino.getTitle(), what.replace(' ', '_')), stack);
        out.setDimensions(c, z, t);
        if (c > 1 || t > 1) {
            out.setOpenAsHyperStack(true);
        }
        Calibration cal = sino.getCalibration().copy();
        cal.disableDensityCalibration();
        cal.pixelHeight = cal.pixelWidth;
        out.setCalibration(cal);
        copyInfo(sino, out, "reconstructed from " + angles.length + " angles with "
                + (fbp ? "FBP (Ram-Lak)" : solve.method().displayName())
                + (model == null ? "" : " and model '" + model.spec().name() + "'"));
        fitDisplayRange(out);
        fb.finish("Reconstruct CT: done" + (stopped ? " (stopped by Esc)" : ""));
        return new Result(out, List.copyOf(fb.results()), null, stopped, what);
    }

    /**
     * A simulated acquisition of every channel/frame volume: "Blur" (with {@code psf}, 2D or 3D
     * like the image), "Sinogram" (of every 2D plane, {@code angles} evenly spaced) or "Mask"
     * ({@code missing} of the pixels set to 0), then noise.
     */
    public static Result simulate(ImagePlus imp, String mode, Img<FloatType> psf, int angles, double missing,
            Simulation.NoiseKind noise, double level, long seed) {
        checkInput(imp, "image");
        String m = mode.trim().toLowerCase(Locale.ROOT);
        String title;
        ImagePlus out;
        ImagePlus maskOut = null;
        if (m.startsWith("sino")) {
            double[] a = Angles.uniform(angles);
            int c = imp.getNChannels(), z = imp.getNSlices(), t = imp.getNFrames();
            ImageStack stack = new ImageStack(imp.getWidth(), angles);
            for (int ti = 0; ti < t; ti++) {
                for (int zi = 0; zi < z; zi++) {
                    for (int ci = 0; ci < c; ci++) {
                        Img<FloatType> plane = ImagePlusBridge.plane(imp, ci, zi, ti);
                        Img<FloatType> sino = Simulation.sinogram(plane, a);
                        Img<FloatType> noisy = Simulation.noise(sino, noise, level, Scaling.minMax(sino),
                                seed + stack.getSize());
                        stack.addSlice(null, FloatImages.data(noisy).clone());
                    }
                }
            }
            title = ImagePlusBridge.title(imp.getTitle(), "sinogram-" + angles);
            out = new ImagePlus(title, stack);
            out.setDimensions(c, z, t);
            Calibration cal = imp.getCalibration().copy();
            cal.disableDensityCalibration();
            out.setCalibration(cal);
            fitDisplayRange(out);
        } else {
            boolean mask = m.startsWith("mask");
            if (!mask && !m.startsWith("blur")) {
                throw new IllegalArgumentException("unknown acquisition '" + mode + "': use Blur, Sinogram or Mask");
            }
            if (mask) {
                long[] dims = imp.getNSlices() > 1 ? new long[] {imp.getWidth(), imp.getHeight(), imp.getNSlices()}
                        : new long[] {imp.getWidth(), imp.getHeight()};
                maskOut = ImagePlusBridge.toImagePlus(Simulation.randomMask(dims, missing, seed),
                        ImagePlusBridge.title(imp.getTitle(), "mask"), ImagePlusBridge.calibration(imp));
            }
            ImagePlus maskImage = maskOut;
            long[] counter = {0};
            title = ImagePlusBridge.title(imp.getTitle(), mask ? "masked" : "blurred");
            out = ImagePlusBridge.mapChannelsAndFrames(imp, title, vol -> {
                Scaling range = Scaling.minMax(vol);
                Img<FloatType> y = mask ? Simulation.applyMask(vol, ImagePlusBridge.extract(maskImage, 0, 0))
                        : Simulation.blur(vol, psf, Boundary.REFLECTIVE);
                return Simulation.noise(y, noise, level, range, seed + counter[0]++);
            });
            copyInfo(imp, out, "simulated " + (mask ? "mask" : "blur") + ", " + Simulation.describeNoise(noise, level));
        }
        return new Result(out, List.of(), maskOut, false, title);
    }

    // ---------------------------------------------------------------------------------------------

    /** {@code noiseMask}: the observed pixels for the noise estimate of the "auto" model (null = all). */
    private static Result perVolume(ImagePlus imp, String task, Solve s, ImagePlus reference, String details,
            Img<FloatType> noiseMask, VolumeJob job) {
        if (reference != null) {
            checkInput(reference, "reference");
            if (reference.getWidth() != imp.getWidth() || reference.getHeight() != imp.getHeight()
                    || reference.getNSlices() != imp.getNSlices()) {
                throw new IllegalArgumentException("the reference \"" + reference.getTitle()
                        + "\" must have the size of \"" + imp.getTitle() + "\"");
            }
        }
        int nc = imp.getNChannels();
        int nt = imp.getNFrames();
        Feedback fb = new Feedback(task, nc * nt);
        ImagePlus out = ImagePlusBridge.newHyperstackLike(imp, "result");
        boolean stopped = false;
        String guarantee = "";
        String algorithm = s.method().displayName();
        int index = 0;
        DenoiserModel model = null;
        try {
            if (s.method().needsDenoiser()) {
                // as lpnp deconvolve and inpaint: the noise of the data (first channel and frame)
                model = Models.open(s.model(), s.modelFile(), s.device(), () -> NoiseLevel.estimateNormalized(
                        ImagePlusBridge.extract(imp, 0, 0), noiseMask));
            }
            NetworkDenoiser denoiser = model == null ? null : new NetworkDenoiser(model);
            for (int t = 0; t < nt; t++) {
                for (int c = 0; c < nc; c++) {
                    Img<FloatType> vol = ImagePlusBridge.extract(imp, c, t);
                    if (fb.cancelled()) {
                        stopped = true;
                        ImagePlusBridge.insert(out, c, t, vol);
                        index++;
                        continue;
                    }
                    Img<FloatType> ref = reference == null ? null : ImagePlusBridge.extract(reference,
                            Math.min(c, reference.getNChannels() - 1), Math.min(t, reference.getNFrames() - 1));
                    Reconstruction.Outcome o = job.run(vol, c, t, denoiser, fb.forVolume(index, s.iterations(), s.observer()), ref);
                    ImagePlusBridge.insert(out, c, t, o.image());
                    record(fb, label(c, 0, t, nc, 1, nt), o, ref);
                    stopped |= o.result().stopReason() == StopReason.CANCELLED;
                    guarantee = o.result().guarantee();
                    algorithm = o.result().algorithm();
                    index++;
                }
            }
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            if (model != null) {
                model.close();
            }
        }
        String what = s.method().displayName().replace(' ', '_') + "-" + maxIterations(fb) + "it"
                + (stopped ? "-stopped" : "");
        finishImage(out, imp, ImagePlusBridge.title(imp.getTitle(), what),
                task.toLowerCase(Locale.ROOT) + " with " + details + "; " + algorithm + "; " + guarantee);
        fb.finish(task + ": done" + (stopped ? " (stopped by Esc; the last iterate is kept)" : ""));
        return new Result(out, List.copyOf(fb.results()), null, stopped, algorithm + "; " + guarantee);
    }

    private static void record(Feedback fb, String label, Reconstruction.Outcome o, Img<FloatType> ref) {
        double psnr = Double.NaN;
        double ssim = Double.NaN;
        if (ref != null) {
            psnr = Metrics.psnr(o.image(), ref);
            long min = Long.MAX_VALUE;
            for (long d : Intervals.dimensionsAsLongArray(ref)) {
                min = Math.min(min, d);
            }
            ssim = min >= 11 ? Metrics.ssim(o.image(), ref) : Double.NaN;
        }
        fb.add(label, o.result(), psnr, ssim);
    }

    /**
     * Reconstruct CT's memory: the n x n output of every plane, and one plane's work (the sinogram
     * plane is read alone, so a virtual stack is never held whole).
     */
    private static long ctJobBytes(ImagePlus sino, int size) {
        long n = size > 0 ? size : sino.getWidth();
        long slice = MemoryCheck.pixels(n, n);
        long output = MemoryCheck.bytes(MemoryCheck.pixels(slice, sino.getStackSize()), 4);
        long work = MemoryCheck.bytes(MemoryCheck.sum(slice, MemoryCheck.pixels(sino.getWidth(), sino.getHeight())),
                4L * WORK_COPIES);
        return MemoryCheck.sum(output, work);
    }

    /** A CT reference (null: none) is checked once, before any work: n x n, finite, one plane in memory. */
    private static void checkReference(ImagePlus reference, int n) {
        if (reference == null) {
            return;
        }
        checkInput(reference, "reference", MemoryCheck.bytes(MemoryCheck.pixels(n, n), 4L * WORK_COPIES));
        if (reference.getWidth() != n || reference.getHeight() != n) {
            throw new IllegalArgumentException("the reference \"" + reference.getTitle() + "\" must be " + n + "x" + n
                    + " (the reconstruction's size)");
        }
    }

    private static Img<FloatType> referencePlane(ImagePlus reference, int c, int z, int t) {
        if (reference == null) {
            return null;
        }
        return ImagePlusBridge.plane(reference, Math.min(c, reference.getNChannels() - 1),
                Math.min(z, reference.getNSlices() - 1), Math.min(t, reference.getNFrames() - 1));
    }

    private static String label(int c, int z, int t, int nc, int nz, int nt) {
        List<String> parts = new ArrayList<>();
        if (nc > 1) {
            parts.add("c" + (c + 1));
        }
        if (nz > 1) {
            parts.add("z" + (z + 1));
        }
        if (nt > 1) {
            parts.add("t" + (t + 1));
        }
        return parts.isEmpty() ? "image" : String.join(" ", parts);
    }

    private static int maxIterations(Feedback fb) {
        int k = 0;
        for (Feedback.Volume v : fb.results()) {
            k = Math.max(k, v.result().iterations());
        }
        return k;
    }

    private static void finishImage(ImagePlus out, ImagePlus source, String title, String note) {
        out.setTitle(title);
        copyInfo(source, out, note);
        fitDisplayRange(out);
    }

    /** Copies the source's info text and appends a line on what was done. */
    static void copyInfo(ImagePlus source, ImagePlus out, String note) {
        String info = source.getInfoProperty();
        String line = "Lipschitz PnP: " + note;
        out.setProperty("Info", info == null || info.isBlank() ? line : info.strip() + "\n" + line);
        ImageStack in = source.getStack();
        ImageStack o = out.getStack();
        if (in.getSize() == o.getSize()) {
            for (int i = 1; i <= in.getSize(); i++) {
                o.setSliceLabel(in.getSliceLabel(i), i);
            }
        }
    }

    static void fitDisplayRange(ImagePlus imp) {
        StackStatistics st = new StackStatistics(imp);
        double max = st.max > st.min ? st.max : st.min + 1;
        imp.setDisplayRange(st.min, max);
    }

    /** Uncalibrated helper for tests and scripts: the calibration of an image as a record. */
    static ImageCalibration calibration(ImagePlus imp) {
        return ImagePlusBridge.calibration(imp);
    }

    static Img<FloatType> psf(Optics optics, ImagePlus imp) {
        long[] dims = imp.getNSlices() > 1 ? new long[] {imp.getWidth(), imp.getHeight(), imp.getNSlices()}
                : new long[] {imp.getWidth(), imp.getHeight()};
        return optics.psfFor(dims, ImagePlusBridge.calibration(imp));
    }
}
