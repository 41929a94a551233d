package io.github.lipschitzpnp.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lipschitzpnp.nn.Activation;
import io.github.lipschitzpnp.nn.LipschitzCertificate;
import io.github.lipschitzpnp.nn.LipschitzResNet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A certified learned regulariser: a scalar 1-Lipschitz ResNet {@code R} (lift, gradient-step
 * convolution blocks, {@link io.github.lipschitzpnp.nn.PixelSumPool}, dense {@code C -> 1}) stored
 * in the same {@code .lpnp.zip} format as denoisers with kind {@value ModelSpec#KIND_REGULARIZER}.
 * Loading re-certifies exactly as for denoisers and refuses a bound above
 * {@link DenoiserModel#MAX_CERTIFIED_BOUND}; a denoiser file is refused here with a clear message,
 * as a regulariser file is refused by {@link DenoiserModel#load}.
 */
public final class RegulariserModel extends CertifiedNetwork {


    private RegulariserModel(ModelSpec spec, LipschitzResNet network, NDManager manager, LipschitzCertificate cert) {
        super(spec, network, manager, cert);
    }

    /** What it was trained for ("ct", "deconvolution", ...), from the spec. */
    public String task() {
        return spec.task();
    }

    /** An uninitialised scalar network with the given architecture (the identity mix is refused). */
    public static LipschitzResNet buildNetwork(ModelSpec.Architecture a) {
        if (a.identityMix()) {
            throw new IllegalArgumentException("a regulariser has no identity mix (it is image -> number)");
        }
        return LipschitzResNet.builder().form(LipschitzResNet.Form.SCALAR).image(a.spatialDims()).width(a.width())
                .hiddenWidth(a.hidden()).depth(a.depth()).kernelSize(a.kernel())
                .activation(Activation.parse(a.activation())).tau(a.tau()).build();
    }

    /**
     * Freezes and certifies a freshly trained network, then loads it back from its archive bytes
     * as a user would (re-certified, independent of the training manager).
     */
    public static RegulariserModel certifyTrained(String name, ModelSpec.Architecture arch, ModelSpec.Noise noise,
            Map<String, Object> training, Map<String, Double> validation, LipschitzResNet net, NDManager manager,
            Device device) throws ModelFileException {
        LipschitzCertificate cert = LipschitzCertificate.certify(net, DenoiserModel.probeShape(arch),
                DenoiserModel.gridSize(arch), manager, 7);
        long count = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            count += p.getValue().getArray().size();
        }
        ModelSpec spec = new ModelSpec(ModelSpec.FORMAT, ModelSpec.FORMAT_VERSION, name, ModelSpec.KIND_REGULARIZER,
                arch, noise, training, new ModelSpec.Certificate(cert.certifiedBound(), cert.empiricalLowerBound(), count),
                validation, null);
        return load(ModelArchive.of(spec, DenoiserModel.parameterBytes(net)), name, device);
    }

    /** The same model with entries added to the training summary of its spec. */
    public RegulariserModel withTrainingInfo(Map<String, Object> extra) {
        return new RegulariserModel(spec.withTraining(extra), network, manager, certificate);
    }

    /** Loads, validates and re-certifies a regulariser file. Close the model when done. */
    public static RegulariserModel load(Path file, Device device) throws ModelFileException {
        return load(ModelArchive.read(file), file.toString(), device);
    }

    /** Loads, validates and re-certifies a regulariser archive on a device. */
    public static RegulariserModel load(ModelArchive archive, String origin, Device device) throws ModelFileException {
        ModelSpec spec = archive.spec();
        if (!spec.isRegularizer()) {
            throw new ModelFileException("model " + origin + " is a '" + spec.kind() + "', not a learned regulariser: "
                    + "the method 'adversarial-reg' needs a regulariser model (kind '" + ModelSpec.KIND_REGULARIZER
                    + "', made by 'lpnp train-regulariser'); use a denoiser with the PnP methods instead");
        }
        LipschitzResNet net;
        try {
            net = buildNetwork(spec.architecture());
        } catch (IllegalArgumentException e) {
            throw new ModelFileException("model " + origin + ": " + e.getMessage(), e);
        }
        DenoiserModel.Certified c = DenoiserModel.loadCertified(net, archive, origin, device);
        return new RegulariserModel(spec, net, c.manager(), c.certificate());
    }

}
