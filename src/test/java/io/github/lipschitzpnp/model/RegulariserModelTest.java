package io.github.lipschitzpnp.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.nn.LipschitzResNet;
import io.github.lipschitzpnp.physics.Boundary;
import io.github.lipschitzpnp.physics.ConvolutionOperator;
import io.github.lipschitzpnp.physics.Noise;
import io.github.lipschitzpnp.physics.Psf;
import io.github.lipschitzpnp.solve.LearnedRegularisation;
import io.github.lipschitzpnp.solve.Method;
import io.github.lipschitzpnp.solve.Problem;
import io.github.lipschitzpnp.solve.Regulariser;
import io.github.lipschitzpnp.solve.SolverResult;
import io.github.lipschitzpnp.solve.StopReason;
import io.github.lipschitzpnp.train.Artefacts;
import io.github.lipschitzpnp.train.PatchSampler;
import io.github.lipschitzpnp.train.RegulariserTrainer;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learned regulariser: model file, certificate, autograd gradient, solver, training. */
class RegulariserModelTest {

    static final ModelSpec.Architecture ARCH = new ModelSpec.Architecture(2, 1, 4, 4, 2, 3, "relu", 0.9, false);

    @TempDir
    static Path dir;
    static Path file;
    static RegulariserModel model;

    /** A random (untrained) tiny scalar network, saved as a regulariser of task "ct". */
    @BeforeAll
    static void makeModel() throws Exception {
        // Seeded: unseeded, the weights depended on the tests run before in the same JVM, and a ReLU
        // kink could fall within a finite-difference step of the probed pixels (a flaky failure).
        ai.djl.engine.Engine.getInstance().setRandomSeed(17);
        LipschitzResNet net = RegulariserModel.buildNetwork(ARCH);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            ModelSpec spec = new ModelSpec(null, 0, "tiny-reg", ModelSpec.KIND_REGULARIZER, ARCH,
                    new ModelSpec.Noise("gaussian", 0.01, 0.01, 0.01, 0), Map.of("task", "ct"), null, Map.of(), null);
            file = dir.resolve("tiny-reg.lpnp.zip");
            ModelArchive.of(spec, DenoiserModel.parameterBytes(net)).write(file);
        }
        model = RegulariserModel.load(file, Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Img<FloatType> randomImage(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.5 + 0.3 * Math.sin(0.3 * (i % w)) * Math.cos(0.2 * (i / w)) + 0.1 * r.nextGaussian());
        }
        return FloatImages.wrap(d, w, h);
    }

    @Test
    void certificateIsAtMostOneAndAboveTheEmpiricalBound() {
        assertTrue(model.certificate().certifiedBound() <= DenoiserModel.MAX_CERTIFIED_BOUND,
                "certified " + model.certificate().certifiedBound());
        assertTrue(model.certificate().empiricalLowerBound() > 0);
        assertTrue(model.certificate().empiricalLowerBound() <= model.certificate().certifiedBound() * (1 + 1e-5),
                "empirical " + model.certificate().empiricalLowerBound() + " <= certified "
                        + model.certificate().certifiedBound());
    }

    @Test
    void autogradGradientMatchesFiniteDifferences() {
        NetworkRegulariser r = new NetworkRegulariser(model);
        int w = 20;
        int h = 17;
        Img<FloatType> x = randomImage(w, h, 3);
        Regulariser.Evaluation e = r.evaluate(x);
        assertEquals(r.value(x), e.value(), 1e-5 * Math.max(1, Math.abs(e.value())), "value agrees with evaluate");
        float[] g = FloatImages.copyData(e.gradient());
        float[] x0 = FloatImages.copyData(x);
        double gNorm = 0;
        for (float v : g) {
            gNorm += (double) v * v;
        }
        gNorm = Math.sqrt(gNorm);
        double rms = gNorm / Math.sqrt(g.length);
        assertTrue(gNorm > 0);
        // ReLU kinks lie close to a random network's inputs: keep the steps small and measure the
        // error on the scale ||g|| ||d|| of the derivative, not on the (cancelling) derivative itself.
        Random rnd = new Random(5);
        for (int trial = 0; trial < 3; trial++) {
            float[] d = new float[x0.length];
            double gd = 0;
            double dNorm = 0;
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) rnd.nextGaussian();
                gd += (double) g[i] * d[i];
                dNorm += (double) d[i] * d[i];
            }
            dNorm = Math.sqrt(dNorm);
            double eps = 1e-3;
            float[] plus = x0.clone();
            float[] minus = x0.clone();
            for (int i = 0; i < d.length; i++) {
                plus[i] += (float) (eps * d[i]);
                minus[i] -= (float) (eps * d[i]);
            }
            double fd = (r.value(FloatImages.wrap(plus, w, h)) - r.value(FloatImages.wrap(minus, w, h))) / (2 * eps);
            assertEquals(gd, fd, 0.02 * gNorm * dNorm, "directional derivative, trial " + trial);
        }
        // single pixels (one inside, one on the border where zero padding matters)
        for (int idx : new int[] {8 * w + 9, 0, 3 * w + 15}) {
            double eps = 1e-2;
            float[] plus = x0.clone();
            float[] minus = x0.clone();
            plus[idx] += (float) eps;
            minus[idx] -= (float) eps;
            double fd = (r.value(FloatImages.wrap(plus, w, h)) - r.value(FloatImages.wrap(minus, w, h))) / (2 * eps);
            assertEquals(g[idx], fd, 2e-2 * (Math.abs(g[idx]) + rms), "partial derivative at pixel " + idx);
        }
        // the per-pixel RMS of the gradient of the pixel-sum form is at most the certificate
        assertTrue(rms <= model.certificate().certifiedBound() * (1 + 1e-4));
    }

    @Test
    void fileRoundTripKeepsKindTaskAndValues() throws Exception {
        Path copy = dir.resolve("copy.lpnp.zip");
        model.save(copy);
        ModelArchive a = ModelArchive.read(copy);
        assertEquals(ModelSpec.KIND_REGULARIZER, a.spec().kind());
        assertTrue(a.spec().isRegularizer());
        assertEquals("ct", a.spec().task());
        try (RegulariserModel b = RegulariserModel.load(copy, Device.cpu())) {
            Img<FloatType> x = randomImage(24, 24, 8);
            assertEquals(new NetworkRegulariser(model).value(x), new NetworkRegulariser(b).value(x), 1e-9);
            assertEquals(model.certificate().certifiedBound(), b.certificate().certifiedBound(), 1e-12);
        }
    }

    @Test
    void aRegulariserIsRefusedAsADenoiserAndViceVersa() throws Exception {
        ModelFileException e = assertThrows(ModelFileException.class, () -> DenoiserModel.load(file, Device.cpu()));
        assertTrue(e.getMessage().contains("learned regulariser") && e.getMessage().contains("adversarial-reg"),
                e.getMessage());
        // A denoiser file (refused on its kind, before any certification).
        Path denoiser = dir.resolve("den.lpnp.zip");
        ModelSpec.Architecture da = new ModelSpec.Architecture(2, 1, 4, 4, 1, 3, "relu", 0.9, true);
        LipschitzResNet dn = DenoiserModel.buildNetwork(da);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            dn.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            ModelSpec spec = new ModelSpec(null, 0, "den", ModelSpec.KIND_DENOISER, da,
                    new ModelSpec.Noise("gaussian", 0.05, 0.05, 0.05, 0), Map.of(), null, Map.of(), null);
            ModelArchive.of(spec, DenoiserModel.parameterBytes(dn)).write(denoiser);
        }
        ModelFileException f = assertThrows(ModelFileException.class, () -> RegulariserModel.load(denoiser, Device.cpu()));
        assertTrue(f.getMessage().contains("not a learned regulariser"), f.getMessage());
    }

    @Test
    void unknownKindIsRefused() throws Exception {
        ModelSpec spec = new ModelSpec(null, 0, "odd", "oracle", ARCH, new ModelSpec.Noise("gaussian", 0, 0, 0, 0),
                Map.of(), null, Map.of(), null);
        Path odd = dir.resolve("odd.lpnp.zip");
        ModelArchive.of(spec, new byte[] {1, 2, 3}).write(odd);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelArchive.read(odd));
        assertTrue(e.getMessage().contains("oracle"), e.getMessage());
    }

    @Test
    void solverDecreasesTheObjectiveMonotonically() {
        int n = 24;
        Img<FloatType> truth = randomImage(n, n, 11);
        ConvolutionOperator a = new ConvolutionOperator(Psf.gaussian2D(1.5, 9), new long[] {n, n}, Boundary.REFLECTIVE);
        Img<FloatType> y = Noise.gaussian(a.apply(truth), 0.02, 4);
        Problem p = Problem.of(a, y).withReference(truth).withInitial(y).withDataRange(1);
        var solver = Method.ADVERSARIAL_REG.solver(null, new NetworkRegulariser(model), 0.05);
        assertInstanceOf(LearnedRegularisation.class, solver);
        SolverResult r = solver.maxIterations(25).tolerance(0).solve(p);
        double[] obj = r.objectives();
        assertTrue(obj.length >= 1);
        for (int k = 1; k < obj.length; k++) {
            assertTrue(obj[k] <= obj[k - 1], "objective non-increasing at " + k + ": " + obj[k - 1] + " -> " + obj[k]);
        }
        assertTrue(r.residuals().length == r.iterations());
        assertTrue(r.stopReason() != StopReason.DIVERGED, r.message());
        assertTrue(r.guarantee().contains("non-increasing"), r.guarantee());
    }

    @Test
    void trainingSeparatesCleanFromBadAndCertifies() throws Exception {
        List<PatchSampler.Image2D> images = TinyModels.smoothImages(3, 48, 2);
        Artefacts.Settings s = new Artefacts.Settings(Artefacts.Task.DECONVOLUTION, 0, 0, 0.05, 1.5);
        Artefacts.Pairs train = Artefacts.make(images.subList(0, 2), s, 1);
        Artefacts.Pairs val = Artefacts.make(images.subList(2, 3), s, 2);
        assertEquals(4, train.clean().size());
        RegulariserTrainer.Config c = new RegulariserTrainer.Config("t", ARCH, s, 16, 6, 40, 0.01, 1, 0);
        RegulariserTrainer.Result r = new RegulariserTrainer(c, Device.cpu()).train(train, val, null);
        try (RegulariserModel m = r.model()) {
            assertEquals(ModelSpec.KIND_REGULARIZER, m.spec().kind());
            assertEquals("deconvolution", m.task());
            assertTrue(m.certificate().certifiedBound() <= DenoiserModel.MAX_CERTIFIED_BOUND);
            double[] h = r.lossHistory();
            double first = (h[0] + h[1] + h[2] + h[3] + h[4]) / 5;
            double last = (h[35] + h[36] + h[37] + h[38] + h[39]) / 5;
            assertTrue(last < first, "critic loss E[R(clean)] - E[R(bad)] falls: " + first + " -> " + last);
            assertTrue(r.validationGap() > 0, "held-out bad patches score higher: " + r.validationGap());
            assertTrue(r.validationGap() <= r.validationDistance() * (1 + 1e-4),
                    "a 1-Lipschitz critic's gap is at most the mean pair distance");
        }
    }
}
