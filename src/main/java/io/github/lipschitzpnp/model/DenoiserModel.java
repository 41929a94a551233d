package io.github.lipschitzpnp.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lipschitzpnp.nn.Activation;
import io.github.lipschitzpnp.nn.LipschitzCertificate;
import io.github.lipschitzpnp.nn.LipschitzResNet;
import io.github.lipschitzpnp.train.NoiseModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A certified 1-Lipschitz denoiser: its {@link ModelSpec}, the frozen network and the certificate
 * recomputed when it was loaded or trained. Loading checks the file, builds the network from the
 * spec, loads the parameters (shapes must match), checks that every parameter is finite,
 * freezes it (step sizes from rigorous norm bounds) and recomputes the certificate; a model whose
 * certified bound exceeds {@value #MAX_CERTIFIED_BOUND} is refused.
 */
public final class DenoiserModel extends CertifiedNetwork {

    /** Largest certified bound accepted on load. */
    public static final double MAX_CERTIFIED_BOUND = 1 + 1e-3;
    /** Image side used for the empirical lower bound. */
    static final int EMPIRICAL_SIDE = 32;


    private DenoiserModel(ModelSpec spec, LipschitzResNet network, NDManager manager, LipschitzCertificate cert) {
        super(spec, network, manager, cert);
    }

    /** Noise standard deviation (on the [0, 1] scale) the model was trained for. */
    public double noiseSigma() {
        return spec.noise().sigma();
    }

    /** An uninitialised network with the given architecture. */
    public static LipschitzResNet buildNetwork(ModelSpec.Architecture a) {
        return LipschitzResNet.builder().image(a.spatialDims()).width(a.width()).hiddenWidth(a.hidden())
                .depth(a.depth()).kernelSize(a.kernel()).activation(Activation.parse(a.activation()))
                .tau(a.tau()).identityMix(a.identityMix()).coarseBlocks(a.coarseBlocks()).learnTauFrom(a.learnTau() ? 0.5 : 0).build();
    }

    static Shape probeShape(ModelSpec.Architecture a) {
        return a.spatialDims() == 2 ? new Shape(1, a.inChannels(), EMPIRICAL_SIDE, EMPIRICAL_SIDE)
                : new Shape(1, a.inChannels(), 16, 16, 16);
    }

    static int gridSize(ModelSpec.Architecture a) {
        return a.spatialDims() == 2 ? LipschitzCertificate.DEFAULT_GRID_2D : LipschitzCertificate.DEFAULT_GRID_3D;
    }

    /** The noise section of a spec. */
    public static ModelSpec.Noise noiseSpec(NoiseModel noise) {
        String model = noise.kind() == NoiseModel.Kind.POISSON_GAUSSIAN ? "poisson-gaussian" : "gaussian";
        double mid = 0.5 * (noise.sigmaMin() + noise.sigmaMax());
        return new ModelSpec.Noise(model, mid, noise.sigmaMin(), noise.sigmaMax(), noise.peak());
    }

    /** DJL's parameter stream of a network. */
    public static byte[] parameterBytes(LipschitzResNet net) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            net.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Loads a parameter stream into an initialised network. */
    public static void loadParameters(LipschitzResNet net, byte[] parameters, NDManager manager)
            throws ModelFileException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new ModelFileException("the parameters do not fit the architecture in model.json ("
                    + e.getMessage() + "): the file is corrupted or was edited", e);
        }
    }

    /**
     * Freezes and certifies a freshly trained network, then loads it back from its archive bytes
     * exactly as a user would (re-certified, independent of the training manager).
     */
    public static DenoiserModel certifyTrained(String name, ModelSpec.Architecture arch, NoiseModel noise,
            Map<String, Object> training, Map<String, Double> validation, LipschitzResNet net, NDManager manager,
            Device device) throws ModelFileException {
        LipschitzCertificate cert = LipschitzCertificate.certify(net, probeShape(arch), gridSize(arch), manager, 7);
        long count = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            count += p.getValue().getArray().size();
        }
        ModelSpec spec = new ModelSpec(ModelSpec.FORMAT, ModelSpec.FORMAT_VERSION, name, "denoiser", arch,
                noiseSpec(noise), training,
                new ModelSpec.Certificate(cert.certifiedBound(), cert.empiricalLowerBound(), count),
                validation, null);
        return load(ModelArchive.of(spec, parameterBytes(net)), name, device);
    }


    /** The same model with entries added to the training summary of its spec. */
    public DenoiserModel withTrainingInfo(Map<String, Object> extra) {
        return new DenoiserModel(spec.withTraining(extra), network, manager, certificate);
    }

    /** Loads, validates and re-certifies a model file. Close the model when done. */
    public static DenoiserModel load(Path file, Device device) throws ModelFileException {
        return load(ModelArchive.read(file), file.toString(), device);
    }

    /**
     * Loads, validates and re-certifies a model archive on a device. The model owns its native
     * memory; close it when done.
     */
    public static DenoiserModel load(ModelArchive archive, String origin, Device device)
            throws ModelFileException {
        ModelSpec spec = archive.spec();
        if (ModelSpec.KIND_REGULARIZER.equals(spec.kind())) {
            throw new ModelFileException("model " + origin + " is a learned regulariser (a scalar network R(x) "
                    + "for variational reconstruction), not a denoiser: use it with the method 'adversarial-reg' "
                    + "(lpnp certify --list shows each bundled model's kind)");
        }
        if (!ModelSpec.KIND_DENOISER.equals(spec.kind())) {
            throw new ModelFileException("model " + origin + " is a '" + spec.kind() + "', not a denoiser");
        }
        ModelSpec.Architecture arch = spec.architecture();
        LipschitzResNet net;
        try {
            net = buildNetwork(arch);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException("model " + origin + ": " + e.getMessage(), e);
        }
        Certified c = loadCertified(net, archive, origin, device);
        return new DenoiserModel(spec, net, c.manager(), c.certificate());
    }

    /** A network loaded from an archive, with its own manager and recomputed certificate. */
    record Certified(NDManager manager, LipschitzCertificate certificate) {
    }

    /**
     * Initialises {@code net} in a new manager on {@code device}, loads the archive's parameters,
     * refuses non-finite weights, freezes and re-certifies it, and refuses it when the bound exceeds
     * {@link #MAX_CERTIFIED_BOUND} or differs from the one the spec claims. Shared by denoisers and
     * regularisers; on failure the manager is closed.
     */
    static Certified loadCertified(LipschitzResNet net, ModelArchive archive, String origin, Device device)
            throws ModelFileException {
        ModelSpec spec = archive.spec();
        ModelSpec.Architecture arch = spec.architecture();
        // Before any native allocation: a tiny file must not make us build a huge network.
        double k = Math.pow(arch.kernel(), arch.spatialDims());
        double floatsAtLeast = (double) arch.depth() * arch.hidden() * arch.width() * k
                + (double) arch.inChannels() * arch.width() * k;
        if (floatsAtLeast * 4 > archive.parameters().length) {
            throw new ModelFileException(String.format(java.util.Locale.ROOT, "model %s: parameters.bin has %d bytes, "
                    + "too small for the architecture in model.json (at least %.0f parameters): the file is "
                    + "corrupted or was edited; refused", origin, archive.parameters().length, floatsAtLeast));
        }
        NDManager own = NDManager.newBaseManager(device);
        try {
            java.util.Map<String, Shape> expected = new java.util.LinkedHashMap<>();
            try {
                net.initialize(own, DataType.FLOAT32, probeShape(arch));
                for (Pair<String, Parameter> p : net.getParameters()) {
                    expected.put(p.getKey(), p.getValue().getArray().getShape());
                }
            } catch (RuntimeException e) {
                throw new ModelFileException("model " + origin + ": the architecture in model.json cannot be built ("
                        + e.getMessage() + "); refused", e);
            }
            loadParameters(net, archive.parameters(), own);
            for (Pair<String, Parameter> p : net.getParameters()) {
                Shape got = p.getValue().isInitialized() ? p.getValue().getArray().getShape() : null;
                if (!expected.get(p.getKey()).equals(got)) {
                    throw new ModelFileException("model " + origin + ": the parameters do not fit the architecture in "
                            + "model.json: '" + p.getKey() + "' has shape " + got + " but the architecture needs "
                            + expected.get(p.getKey()) + " (the file is corrupted or was edited); refused");
                }
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                try (NDManager tmp = own.newSubManager()) {
                    NDArray finite = a.isNaN().logicalOr(a.isInfinite()).any();
                    finite.attach(tmp);
                    if (finite.getBoolean()) {
                        throw new ModelFileException("model " + origin + ": parameter '" + p.getKey()
                                + "' contains NaN or infinite values: refused");
                    }
                }
            }
            Double stated = spec.certificate() == null ? null : spec.certificate().certifiedBound();
            if (stated != null && !(stated <= MAX_CERTIFIED_BOUND)) {
                throw new ModelFileException(String.format("model %s claims a certified bound of %s, above the %.4f "
                        + "that the convergence guarantee needs: refused", origin, stated, MAX_CERTIFIED_BOUND));
            }
            LipschitzCertificate cert;
            try {
                cert = LipschitzCertificate.certify(net, probeShape(arch), gridSize(arch), own, 7);
            } catch (RuntimeException e) {
                throw new ModelFileException("model " + origin + ": its certificate cannot be recomputed ("
                        + e.getMessage() + "): the file is corrupted or was edited; refused", e);
            }
            if (!(cert.certifiedBound() <= MAX_CERTIFIED_BOUND)) {
                throw new ModelFileException(String.format("model %s: the recomputed certified Lipschitz bound is %.6f, "
                        + "above the %.4f that the convergence guarantee needs: refused (the weights were "
                        + "changed after certification, or the file is not a 1-Lipschitz model)", origin,
                        cert.certifiedBound(), MAX_CERTIFIED_BOUND));
            }
            Double claimed = spec.certificate() == null ? null : spec.certificate().certifiedBound();
            if (claimed != null && Math.abs(claimed - cert.certifiedBound()) > 1e-3) {
                throw new ModelFileException(String.format("model %s claims a certified bound of %.6f but the "
                        + "recomputed one is %.6f: model.json does not describe these weights; refused", origin,
                        claimed, cert.certifiedBound()));
            }
            return new Certified(own, cert);
        } catch (ModelFileException | RuntimeException e) {
            own.close();
            throw e;
        }
    }
}
