package io.github.lipschitzpnp.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lipschitzpnp.nn.LipschitzCertificate;
import io.github.lipschitzpnp.nn.LipschitzResNet;

/**
 * What every loaded model file holds: its spec, the frozen network, the manager that owns the
 * network's parameters and the certificate recomputed on load (or after training). Closing frees
 * the parameters.
 */
public abstract class CertifiedNetwork implements AutoCloseable {

    protected final ModelSpec spec;
    protected final LipschitzResNet network;
    protected final NDManager manager;
    protected final LipschitzCertificate certificate;

    protected CertifiedNetwork(ModelSpec spec, LipschitzResNet network, NDManager manager, LipschitzCertificate cert) {
        this.spec = spec;
        this.network = network;
        this.manager = manager;
        this.certificate = cert;
    }

    public ModelSpec spec() {
        return spec;
    }

    public LipschitzResNet network() {
        return network;
    }

    /** The manager that owns the network's parameters. */
    public NDManager manager() {
        return manager;
    }

    /** The certificate recomputed on load (or after training). */
    public LipschitzCertificate certificate() {
        return certificate;
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : network.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /** Saves the model atomically as a {@code .lpnp.zip} file. */
    public void save(java.nio.file.Path file) throws java.io.IOException {
        ModelArchive.of(spec, DenoiserModel.parameterBytes(network)).write(file);
    }

    /** The certificate figures every command reports: certified_bound, empirical_bound, parameters. */
    public java.util.Map<String, Object> certificateSummary() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("certified_bound", certificate.certifiedBound());
        m.put("empirical_bound", certificate.empiricalLowerBound());
        m.put("parameters", parameterCount());
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
