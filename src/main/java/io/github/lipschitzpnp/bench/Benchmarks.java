package io.github.lipschitzpnp.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.model.DenoiserModel;
import io.github.lipschitzpnp.model.ModelArchive;
import io.github.lipschitzpnp.model.ModelFileException;
import io.github.lipschitzpnp.model.ModelSpec;
import io.github.lipschitzpnp.model.NetworkDenoiser;
import io.github.lipschitzpnp.nn.LipschitzResNet;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.Fbp;
import io.github.lipschitzpnp.physics.ParallelBeamRadon;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.solve.PnpPgd;
import io.github.lipschitzpnp.solve.Problem;
import io.github.lipschitzpnp.solve.Sirt;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The measurements behind {@code lpnp bench}: each of ours is timed in this JVM and, where a
 * reference exists, the reference is timed by a Python script in the same run, so the ratios
 * compare the two under the same machine load. Ratios are throughputs, ours over theirs
 * (their time / our time): above 1 means we are faster.
 */
public final class Benchmarks {

    /** Sizes and repetitions of one bench run. */
    public record Plan(String name, int netWidth, int netDepth, int kernel, int batch, int patch, int warmup, int reps,
            int rounds, int pnpSide, int pnpWidth, int pnpDepth, int pnpIterations, int[] tomoSides, int angles, int fbpReps,
            int sirtIterations, int sartSweeps, int memorySide, int memoryIterations, int[] scalingSides,
            int[] scalingDepths, int scalingDepthSide) {

        /** About three minutes on two cores: every ratio, no memory or scaling section. */
        public static Plan quick() {
            return new Plan("quick", 16, 6, 3, 8, 64, 2, 5, 2, 512, 16, 6, 6, new int[] {256}, 180, 5, 10, 3,
                    0, 0, new int[0], new int[0], 0);
        }

        /** The full run behind docs/benchmarks.md. */
        public static Plan full() {
            return new Plan("full", 32, 8, 3, 8, 64, 2, 5, 3, 512, 16, 6, 8, new int[] {256, 512}, 180, 5, 100, 10,
                    2048, 3, new int[] {256, 512, 1024, 2048}, new int[] {2, 4, 6, 8, 12}, 256);
        }

        /** Seconds: a smoke test of the harness, numbers meaningless. */
        public static Plan tiny() {
            return new Plan("tiny", 4, 2, 3, 2, 16, 0, 1, 1, 64, 4, 2, 3, new int[] {32}, 12, 1, 3, 1,
                    96, 2, new int[] {64, 96}, new int[] {1, 2}, 32);
        }
    }

    /** Median seconds of one measurement, ours and the reference's (NaN when it did not run). */
    public record Pair(String what, double ours, double reference, String referenceNote, Double pairedRatio) {
        /** A pair whose ratio is the ratio of the two times. */
        public Pair(String what, double ours, double reference, String referenceNote) {
            this(what, ours, reference, referenceNote, null);
        }

        /**
         * Our throughput over the reference's; null when the reference did not run. Where the two
         * sides were measured in alternating rounds, the median of the per-round ratios (each round's
         * two measurements are close in time, so a change of load between rounds cancels).
         */
        public Double ratio() {
            if (!Double.isFinite(reference) || !(ours > 0)) {
                return null;
            }
            return pairedRatio != null ? pairedRatio : reference / ours;
        }
    }

    /** The network section. */
    public record Network(int width, int depth, int kernel, int batch, int patch, Pair forward, Pair trainStep,
            String referenceEngine, int rounds, double[][] perRound) {
    }

    /** One PnP-PGD iteration against its parts, each timed alone. */
    public record PnpIteration(int side, String denoiser, double iteration, double forwardOp, double adjointOp,
            double network, double denoiserCall, int tiles) {
        /** Sum of the parts: the operator's FFTs plus one network pass. */
        public double floor() {
            return forwardOp + adjointOp + network;
        }

        /** Iteration time over its floor (lower is better; 1 is the floor). */
        public double overFloor() {
            return iteration / floor();
        }
    }

    /** FBP and SIRT against scikit-image at one size. */
    public record Tomography(int side, int angles, Pair fbp, Pair iteration, int sirtIterations, int sartSweeps,
            double sirtTotal) {
    }

    /** Peak memory of a large tiled deconvolution. */
    public record Memory(int side, int iterations, double secondsPerIteration, long peakHeapBytes,
            long maxHeapBytes, long peakRssBytes, boolean rssPeakReset, long rssAfterBytes) {
    }

    /** Time against image side and against depth. */
    public record Scaling(int[] sides, double[] pnpIterationSeconds, int[] depths, double[] forwardSeconds,
            int depthSide) {
    }

    /** Everything one run measured. */
    public record Results(Plan plan, Network network, String networkMessage, PnpIteration pnp,
            List<Tomography> tomography, String tomographyMessage, Memory memory, Memory memory3d, Scaling scaling,
            double seconds,
            int threads, String torchEngine, String skimageEngine, String loadBefore, String loadAfter) {

        /** The five ratios of the issue, null where a reference could not run. */
        public Map<String, Double> ratios() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("djl_over_torch_forward", network == null ? null : network.forward().ratio());
            m.put("djl_over_torch_train_step", network == null ? null : network.trainStep().ratio());
            m.put("pnp_iteration_over_floor", pnp == null ? null : pnp.overFloor());
            Tomography first = tomography.isEmpty() ? null : tomography.get(0);
            m.put("fbp_over_skimage", first == null ? null : first.fbp().ratio());
            m.put("sirt_over_skimage", first == null ? null : first.iteration().ratio());
            return m;
        }
    }

    private final Plan plan;
    private final Device device;
    private final PythonReference python;
    private final int threads;
    private final Consumer<String> log;

    /**
     * @param plan       sizes and repetitions
     * @param device     where the network runs
     * @param scriptsDir folder with bench_torch.py and bench_skimage.py
     * @param threads    threads given to the references (ours are set by the JVM's DJL properties)
     * @param log        progress lines
     */
    public Benchmarks(Plan plan, Device device, Path scriptsDir, int threads, Consumer<String> log) {
        this.plan = plan;
        this.device = device;
        this.threads = threads;
        this.python = new PythonReference(scriptsDir, threads);
        this.log = log;
    }

    /** Runs every section of the plan. */
    public Results run() throws Exception {
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        log.accept("network: DJL against PyTorch (" + plan.netWidth() + " channels, depth " + plan.netDepth()
                + ", batch " + plan.batch() + " of " + plan.patch() + "^2)");
        String[] networkInfo = new String[2];
        Network network = network(networkInfo);
        log.accept("PnP-PGD iteration at " + plan.pnpSide() + "^2 against its floor");
        PnpIteration pnp;
        Memory memory = null;
        Memory memory3d = null;
        Scaling scaling = null;
        List<Tomography> tomo;
        String[] tomoInfo = new String[2];
        // one certified model of the shipped size serves every PnP measurement
        try (DenoiserModel model = untrainedModel(plan.pnpWidth(), plan.pnpDepth(), 3)) {
            pnp = pnpIteration(model, plan.pnpSide(), plan.pnpIterations());
            log.accept("tomography: FBP and SIRT against scikit-image");
            tomo = tomography(tomoInfo);
            if (plan.memorySide() > 0) {
                log.accept("memory: " + plan.memorySide() + "^2 deconvolution through tiles");
                memory = memory(model);
                int side3d = plan.memorySide() >= 2048 ? 256 : Math.max(24, plan.memorySide() / 8);
                log.accept("memory: " + side3d + "^3 3D deconvolution, the 2D model slice by slice in tiles");
                memory3d = memory3d(model, side3d);
            }
            if (plan.scalingSides().length > 0) {
                log.accept("scaling: side and depth");
                scaling = scaling(model, memory);
            }
        }
        return new Results(plan, network, networkInfo[0], pnp, tomo, tomoInfo[0], memory, memory3d, scaling,
                (System.nanoTime() - t0) / 1e9, threads, networkInfo[1], tomoInfo[1], loadBefore, loadAverage());
    }

    // ---------------------------------------------------------------- 1. network

    private LipschitzResNet buildNet(int width, int depth, int kernel) {
        return LipschitzResNet.builder().image(2).width(width).depth(depth).kernelSize(kernel).build();
    }

    private Network network(String[] info) throws Exception {
        int w = plan.netWidth(), d = plan.netDepth(), k = plan.kernel(), b = plan.batch(), p = plan.patch();
        int rounds = Math.max(1, plan.rounds());
        double[] ourForward = new double[rounds];
        double[] ourTrain = new double[rounds];
        double[] refForward = new double[rounds];
        double[] refTrain = new double[rounds];
        String note = "ok";
        // alternate ours and the reference, so that a change of machine load hits both sides
        for (int round = 0; round < rounds; round++) {
            double[] ours = djlNetwork(w, d, k, b, p);
            ourForward[round] = ours[0];
            ourTrain[round] = ours[1];
            log.accept(String.format(java.util.Locale.ROOT, "  round %d DJL: forward %.4f s, train step %.4f s",
                    round + 1, ours[0], ours[1]));
            refForward[round] = Double.NaN;
            refTrain[round] = Double.NaN;
            if (!"ok".equals(note)) {
                continue;
            }
            PythonReference.Outcome ref = python.run("bench_torch.py", List.of("--width", "" + w, "--depth", "" + d,
                    "--kernel", "" + k, "--batch", "" + b, "--side", "" + p, "--threads", "" + threads,
                    "--warmup", "" + plan.warmup(), "--reps", "" + plan.reps(), "--seed", "" + (round + 1)), 1800);
            note = ref.message();
            if (ref.ok()) {
                refForward[round] = ref.json().get("forward_s").getAsDouble();
                refTrain[round] = ref.json().get("train_step_s").getAsDouble();
                info[1] = ref.json().get("engine").getAsString();
                log.accept(String.format(java.util.Locale.ROOT, "  round %d %s: forward %.4f s, train step %.4f s",
                        round + 1, info[1], refForward[round], refTrain[round]));
            } else {
                log.accept("  PyTorch reference not run: " + note);
            }
        }
        info[0] = note;
        boolean ok = "ok".equals(note);
        Double fr = ok ? pairedRatio(refForward, ourForward) : null;
        Double tr = ok ? pairedRatio(refTrain, ourTrain) : null;
        return new Network(w, d, k, b, p,
                new Pair("forward", Timing.median(ourForward), ok ? Timing.median(refForward) : Double.NaN, note, fr),
                new Pair("train step", Timing.median(ourTrain), ok ? Timing.median(refTrain) : Double.NaN, note, tr),
                info[1], rounds, new double[][] {ourForward, refForward, ourTrain, refTrain});
    }

    /** Median over rounds of reference time / our time. */
    static Double pairedRatio(double[] reference, double[] ours) {
        double[] r = new double[ours.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = reference[i] / ours[i];
            if (!Double.isFinite(r[i]) || !(r[i] > 0)) {
                return null;
            }
        }
        return Timing.median(r);
    }

    /** {forward, train step} medians in seconds for a fresh DJL network. */
    private double[] djlNetwork(int w, int d, int k, int b, int p) throws Exception {
        Shape shape = new Shape(b, 1, p, p);
        float[] xs = random(b * p * p, 1);
        float[] ys = random(b * p * p, 2);
        double forward;
        double train;
        // inference: the frozen network, as a loaded model runs
        try (NDManager manager = NDManager.newBaseManager(device)) {
            LipschitzResNet net = buildNet(w, d, k);
            net.initialize(manager, DataType.FLOAT32, shape);
            net.freeze(32);
            NDArray x = manager.create(xs, shape);
            forward = Timing.time(plan.warmup(), plan.reps(), () -> {
                try (NDManager it = manager.newSubManager()) {
                    NDArray xi = x.duplicate();
                    xi.attach(it);
                    net.apply(xi);
                }
            }).median();
        }
        // training: forward with power-iteration updates, MSE, backward, Adam (DJL defaults)
        try (Model model = Model.newInstance("bench", device)) {
            LipschitzResNet net = buildNet(w, d, k);
            model.setBlock(net);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().build()).optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(shape);
                NDManager m = model.getNDManager();
                train = Timing.time(plan.warmup(), plan.reps(), () -> {
                    try (NDManager sub = m.newSubManager()) {
                        NDArray x = sub.create(xs, shape);
                        NDArray y = sub.create(ys, shape);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = out.sub(y).square().mean();
                            loss.getFloat();
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                }).median();
            }
        }
        return new double[] {forward, train};
    }

    // ---------------------------------------------------------------- 2. PnP iteration

    /**
     * A certified model of the given size with untrained (randomly initialised) weights, loaded
     * through the same path as a model file (frozen, certified).
     */
    public DenoiserModel untrainedModel(int width, int depth, int kernel) throws ModelFileException {
        ModelSpec.Architecture arch = new ModelSpec.Architecture(2, 1, width, width, depth, kernel, "relu", 1.0, true);
        LipschitzResNet net = DenoiserModel.buildNetwork(arch);
        try (NDManager m = NDManager.newBaseManager(device)) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            Map<String, Object> training = new LinkedHashMap<>();
            training.put("steps", 0);
            training.put("note", "untrained weights, for benchmarks only");
            ModelSpec spec = new ModelSpec(ModelSpec.FORMAT, ModelSpec.FORMAT_VERSION, "bench-untrained", "denoiser",
                    arch, new ModelSpec.Noise("gaussian", 0.02, 0.02, 0.02, 0), training, null, Map.of(), null);
            return DenoiserModel.load(ModelArchive.of(spec, DenoiserModel.parameterBytes(net)), "bench", device);
        }
    }

    private static Img<FloatType> testImage(int side) {
        float[] x = new float[side * side];
        for (int j = 0; j < side; j++) {
            for (int i = 0; i < side; i++) {
                double u = (i + 0.5) / side - 0.5, v = (j + 0.5) / side - 0.5;
                double r = Math.sqrt(u * u + v * v);
                x[j * side + i] = (float) ((r < 0.35 ? 0.6 : 0.1) + 0.3 * Math.sin(20 * u) * Math.cos(14 * v));
            }
        }
        return FloatImages.wrap(x, side, side);
    }

    private PnpIteration pnpIteration(DenoiserModel model, int side, int iterations) throws Exception {
        Img<FloatType> truth = testImage(side);
        ConvolutionOperator a = new ConvolutionOperator(Psf.gaussian2D(2.0, Psf.gaussianSize(2.0)),
                new long[] {side, side}, Boundary.REFLECTIVE);
        float[] y = FloatImages.data(a.apply(truth));
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < y.length; i++) {
            y[i] += (float) (0.01 * rnd.nextGaussian());
        }
        Img<FloatType> data = FloatImages.wrap(y, side, side);
        NetworkDenoiser denoiser = new NetworkDenoiser(model);
        // The parts of the floor are timed inside the solver's callback, between iterations, so that
        // iterations and parts alternate and see the same machine load; the callback's own time is
        // left out of the iteration times.
        int from = Math.min(3, iterations);
        int n = iterations - from + 1;
        double[] iter = new double[n];
        double[] fwd = new double[n];
        double[] adj = new double[n];
        double[] net = new double[n];
        double[] call = new double[n];
        long[] lastExit = {System.nanoTime()};
        try (NDManager m = model.manager().newSubManager()) {
            NDArray x = m.create(y, new Shape(1, 1, side, side));
            new PnpPgd(denoiser).maxIterations(iterations).tolerance(0).listener((k, r, img) -> {
                long enter = System.nanoTime();
                if (k >= from) {
                    int i = k - from;
                    iter[i] = (enter - lastExit[0]) / 1e9;
                    fwd[i] = seconds(() -> a.apply(data));
                    adj[i] = seconds(() -> a.adjoint(data));
                    net[i] = seconds(() -> {
                        try (NDManager it = m.newSubManager()) {
                            NDArray xi = x.duplicate();
                            xi.attach(it);
                            model.network().apply(xi);
                        }
                    });
                    call[i] = seconds(() -> denoiser.denoise(data));
                }
                lastExit[0] = System.nanoTime();
                return true;
            }).solve(Problem.of(a, data));
        }
        double iteration = Timing.median(iter);
        PnpIteration r0 = new PnpIteration(side, "", iteration, Timing.median(fwd), Timing.median(adj),
                Timing.median(net), Timing.median(call), 1);
        double fwdS = r0.forwardOp();
        double adjS = r0.adjointOp();
        double netS = r0.network();
        double callS = r0.denoiserCall();
        int tiles = new NetworkDenoiser(model).tileCount(side, side);
        PnpIteration r = new PnpIteration(side, model.spec().architecture().width() + " channels, depth "
                + model.spec().architecture().depth(), iteration, fwdS, adjS, netS, callS, tiles);
        log.accept(String.format(java.util.Locale.ROOT, "  iteration %.4f s; A %.4f s, A^T %.4f s, network %.4f s "
                + "(denoiser call with conversions %.4f s): %.2fx the floor", iteration, fwdS, adjS, netS, callS,
                r.overFloor()));
        return r;
    }

    private static double seconds(Runnable task) {
        long t0 = System.nanoTime();
        task.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------------------------------------------------------------- 3. tomography

    private List<Tomography> tomography(String[] info) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("--sides");
        for (int s : plan.tomoSides()) {
            args.add("" + s);
        }
        args.addAll(List.of("--angles", "" + plan.angles(), "--fbp-reps", "" + plan.fbpReps(), "--sart-sweeps",
                "" + plan.sartSweeps()));
        List<Tomography> out = new ArrayList<>();
        double[][] ours = new double[plan.tomoSides().length][];
        for (int i = 0; i < plan.tomoSides().length; i++) {
            ours[i] = tomographyOurs(plan.tomoSides()[i]);
        }
        PythonReference.Outcome ref = python.run("bench_skimage.py", args, 3600);
        info[0] = ref.message();
        if (ref.ok()) {
            info[1] = ref.json().get("engine").getAsString();
        } else {
            log.accept("  scikit-image reference not run: " + ref.message());
        }
        for (int i = 0; i < plan.tomoSides().length; i++) {
            int side = plan.tomoSides()[i];
            double fbpRef = Double.NaN;
            double sartRef = Double.NaN;
            if (ref.ok()) {
                for (JsonElement e : ref.json().getAsJsonArray("results")) {
                    JsonObject o = e.getAsJsonObject();
                    if (o.get("side").getAsInt() == side) {
                        fbpRef = o.get("fbp_s").getAsDouble();
                        sartRef = o.get("sart_s").getAsDouble();
                    }
                }
            }
            Tomography t = new Tomography(side, plan.angles(), new Pair("FBP", ours[i][0], fbpRef, ref.message()),
                    new Pair("iteration", ours[i][1], sartRef, ref.message()), plan.sirtIterations(),
                    plan.sartSweeps(), ours[i][2]);
            log.accept(String.format(java.util.Locale.ROOT, "  %d^2: FBP %.4f s (skimage %.4f s); SIRT iteration "
                    + "%.4f s (skimage SART sweep %.4f s); %d SIRT iterations %.2f s", side, ours[i][0], fbpRef,
                    ours[i][1], sartRef, plan.sirtIterations(), ours[i][2]));
            out.add(t);
        }
        return out;
    }

    /** {FBP median, SIRT per-iteration median, SIRT total} in seconds. */
    private double[] tomographyOurs(int side) throws Exception {
        ParallelBeamRadon radon = new ParallelBeamRadon(side, ParallelBeamRadon.uniformAngles(plan.angles()), side);
        Img<FloatType> sino = radon.apply(testImage(side));
        Fbp fbp = new Fbp(radon, Fbp.Window.RAM_LAK);
        double tf = Timing.time(Math.max(1, plan.warmup()), plan.fbpReps(), () -> fbp.reconstruct(sino)).median();
        int n = plan.sirtIterations();
        double[] stamps = new double[n + 1];
        long t0 = System.nanoTime();
        new Sirt().maxIterations(n).tolerance(0).listener((k, r, img) -> {
            stamps[k] = (System.nanoTime() - t0) / 1e9;
            return true;
        }).solve(Problem.of(radon, sino));
        double total = (System.nanoTime() - t0) / 1e9;
        return new double[] {tf, Timing.median(deltas(stamps, n, 2)), total};
    }

    // ---------------------------------------------------------------- 4. memory

    private Memory memory(DenoiserModel model) throws Exception {
        int side = plan.memorySide();
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap.add(pool);
            }
        }
        System.gc();
        boolean reset = resetRssPeak();
        for (MemoryPoolMXBean pool : heap) {
            pool.resetPeakUsage();
        }
        double perIteration = pnpIterationOnly(model, side, plan.memoryIterations());
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : heap) {
            peakHeap += pool.getPeakUsage().getUsed();
        }
        long rssPeak = procStatus("VmHWM");
        long rssNow = procStatus("VmRSS");
        Memory m = new Memory(side, plan.memoryIterations(), perIteration, peakHeap,
                Runtime.getRuntime().maxMemory(), rssPeak, reset, rssNow);
        log.accept(String.format(java.util.Locale.ROOT, "  %.2f s per iteration; peak heap %.0f MiB (max %.0f MiB), "
                + "peak RSS %.0f MiB%s", perIteration, peakHeap / 1048576.0, m.maxHeapBytes() / 1048576.0,
                rssPeak / 1048576.0, reset ? "" : " (process lifetime peak: could not reset)"));
        return m;
    }

    /**
     * Peak memory of a 3D deconvolution of a {@code side}^3 volume: 3D FFT convolution, the 2D model
     * applied slice by slice ({@code SliceWiseDenoiser}) through {@code NetworkDenoiser}'s tiles.
     */
    private Memory memory3d(DenoiserModel model, int side) {
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap.add(pool);
            }
        }
        System.gc();
        boolean reset = resetRssPeak();
        for (MemoryPoolMXBean pool : heap) {
            pool.resetPeakUsage();
        }
        float[] slice = FloatImages.copyData(testImage(side));
        float[] vol = new float[side * side * side];
        for (int z = 0; z < side; z++) {
            float w = (float) (0.5 + 0.5 * Math.cos(Math.PI * (z + 0.5) / side - Math.PI / 2));
            for (int i = 0; i < slice.length; i++) {
                vol[z * slice.length + i] = slice[i] * w;
            }
        }
        Img<FloatType> truth = FloatImages.wrap(vol, side, side, side);
        int k = Psf.gaussianSize(2.0);
        ConvolutionOperator a = new ConvolutionOperator(Psf.gaussian3D(2.0, 2.0, k, k), new long[] {side, side, side},
                Boundary.REFLECTIVE);
        Img<FloatType> data = a.apply(truth);
        int iterations = plan.memoryIterations();
        double[] stamps = new double[iterations + 1];
        long t0 = System.nanoTime();
        new PnpPgd(new io.github.lipschitzpnp.pipeline.SliceWiseDenoiser(new NetworkDenoiser(model)))
                .maxIterations(iterations).tolerance(0).listener((it, r, img) -> {
                    stamps[it] = (System.nanoTime() - t0) / 1e9;
                    return true;
                }).solve(Problem.of(a, data));
        double perIteration = Timing.median(deltas(stamps, iterations, 2));
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : heap) {
            peakHeap += pool.getPeakUsage().getUsed();
        }
        Memory m = new Memory(side, iterations, perIteration, peakHeap, Runtime.getRuntime().maxMemory(),
                procStatus("VmHWM"), reset, procStatus("VmRSS"));
        log.accept(String.format(java.util.Locale.ROOT, "  %.2f s per iteration; peak heap %.0f MiB, peak RSS %.0f MiB",
                perIteration, peakHeap / 1048576.0, m.peakRssBytes() / 1048576.0));
        return m;
    }

    /** Median seconds per PnP-PGD iteration (the first iteration excluded when there are several). */
    private double pnpIterationOnly(DenoiserModel model, int side, int iterations) {
        Img<FloatType> truth = testImage(side);
        ConvolutionOperator a = new ConvolutionOperator(Psf.gaussian2D(2.0, Psf.gaussianSize(2.0)),
                new long[] {side, side}, Boundary.REFLECTIVE);
        Img<FloatType> data = a.apply(truth);
        double[] stamps = new double[iterations + 1];
        long t0 = System.nanoTime();
        new PnpPgd(new NetworkDenoiser(model)).maxIterations(iterations).tolerance(0).listener((k, r, img) -> {
            stamps[k] = (System.nanoTime() - t0) / 1e9;
            return true;
        }).solve(Problem.of(a, data));
        return Timing.median(deltas(stamps, iterations, 2));
    }

    /**
     * Durations of iterations {@code from..n} from the end-of-iteration stamps (stamp k ends
     * iteration k; the first iteration also holds the solver's set-up, so {@code from >= 2} leaves
     * it out); just {@code stamps[n]} when there are too few iterations.
     */
    static double[] deltas(double[] stamps, int n, int from) {
        if (n < from) {
            return new double[] {stamps[n]};
        }
        double[] d = new double[n - from + 1];
        for (int k = from; k <= n; k++) {
            d[k - from] = stamps[k] - stamps[k - 1];
        }
        return d;
    }

    /** The 1, 5 and 15 minute load averages of the machine, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** Resets the kernel's peak-RSS counter for this process (Linux clear_refs 5). */
    private static boolean resetRssPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A kB field of /proc/self/status in bytes, -1 when unavailable. */
    private static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    // ---------------------------------------------------------------- 5. scaling

    private Scaling scaling(DenoiserModel model, Memory memory) throws Exception {
        int[] sides = plan.scalingSides();
        double[] t = new double[sides.length];
        {
            for (int i = 0; i < sides.length; i++) {
                if (memory != null && sides[i] == memory.side()) {
                    t[i] = memory.secondsPerIteration();
                } else {
                    t[i] = pnpIterationOnly(model, sides[i], sides[i] <= 512 ? 4 : 3);
                }
                log.accept(String.format(java.util.Locale.ROOT, "  side %d: %.3f s per PnP-PGD iteration", sides[i],
                        t[i]));
            }
        }
        int[] depths = plan.scalingDepths();
        double[] f = new double[depths.length];
        int s = plan.scalingDepthSide();
        float[] xs = random(s * s, 5);
        for (int i = 0; i < depths.length; i++) {
            try (NDManager manager = NDManager.newBaseManager(device)) {
                LipschitzResNet net = buildNet(plan.pnpWidth(), depths[i], 3);
                Shape shape = new Shape(1, 1, s, s);
                net.initialize(manager, DataType.FLOAT32, shape);
                net.freeze(32);
                NDArray x = manager.create(xs, shape);
                f[i] = Timing.time(plan.warmup(), plan.reps(), () -> {
                    try (NDManager it = manager.newSubManager()) {
                        NDArray xi = x.duplicate();
                        xi.attach(it);
                        net.apply(xi);
                    }
                }).median();
            }
            log.accept(String.format(java.util.Locale.ROOT, "  depth %d: forward %.4f s at %d^2", depths[i], f[i], s));
        }
        return new Scaling(sides, t, depths, f, s);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble();
        }
        return a;
    }
}
