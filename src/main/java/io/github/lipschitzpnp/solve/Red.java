package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.physics.LinearOperator;
import java.util.Objects;

/**
 * Regularisation by denoising, gradient form: {@code x+ = x - m (A^T (A x - y) + lambda (x - D(x)))}.
 * <p>With D non-expansive, I - D is 1/2-cocoercive and G = grad f + lambda (I - D) is cocoercive
 * with constant 1/(L + 2 lambda), L = ||A||^2; steps m < 2/(L + 2 lambda) (enforced) make
 * x -> x - m G(x) averaged, so ||x_{k+1} - x_k|| never increases and x_k converges to a zero of G
 * when one exists. Defaults: lambda = 1, m = 1/(L + 2 lambda).
 * <p>The recorded objective is the RED energy 1/2||A x - y||^2 + lambda/2 &lt;x, x - D(x)&gt;. Its
 * gradient is G only for denoisers with a symmetric Jacobian that are locally homogeneous (e.g. a
 * symmetric linear filter); for others it is a diagnostic, not the function being minimised.
 */
public final class Red extends IterativeSolver<Red> {

    private final Denoiser denoiser;
    private double lambda = 1;
    private double step = Double.NaN;

    public Red(Denoiser denoiser) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
    }

    /** The regularisation weight lambda > 0 (default 1). */
    public Red regularization(double lambda) {
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
        }
        this.lambda = lambda;
        return this;
    }

    /** The step m in (0, 2/(||A||^2 + 2 lambda)); NaN (default) means 1/(||A||^2 + 2 lambda). */
    public Red stepSize(double m) {
        if (!Double.isNaN(m) && !(m > 0)) {
            throw new IllegalArgumentException("step size must be > 0, got " + m);
        }
        this.step = m;
        return this;
    }

    @Override
    public String describe() {
        return "RED (lambda=" + Certificates.fmt(lambda) + ", "
                + (Double.isNaN(step) ? "m=1/(||A||^2+2 lambda)" : "m=" + Certificates.fmt(step)) + ") with "
                + denoiser.describe();
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        double lip = a.norm() * a.norm() + 2 * lambda;
        double m = Double.isNaN(step) ? 1 / lip : step;
        if (m >= 2 / lip) {
            throw new IllegalArgumentException("RED step " + Certificates.fmt(m) + " must be below 2/(||A||^2 + 2 lambda) = "
                    + Certificates.fmt(2 / lip));
        }
        float[] y = p.dataArray();
        long[] dims = p.domain();
        float[] x0 = initialGuess(p);
        String guarantee = Certificates.isNonExpansive(denoiser)
                ? "gradient steps m = " + Certificates.fmt(m) + " < 2/(||A||^2 + 2 lambda) = " + Certificates.fmt(2 / lip)
                        + " on the cocoercive G = grad f + lambda (I - D) (denoiser "
                        + Certificates.describeBound(denoiser) + "): ||x_{k+1} - x_k|| non-increasing, convergence to "
                        + "a zero of G whenever one exists (assumed); the RED energy is an objective only for "
                        + "denoisers with symmetric Jacobian"
                : "none: the denoiser has " + Certificates.describeBound(denoiser)
                        + " <= 1, so I - D need not be cocoercive; watch the residual";
        return new Run() {
            float[] x = x0;
            float[] dx = Flat.denoise(denoiser, x0, dims);
            float[] ax = Flat.apply(a, x0);

            @Override
            public double step() {
                float[] res = ax.clone();
                Vec.axpy(-1, y, res);
                float[] g = Flat.adjoint(a, res);
                Vec.axpy(lambda, x, g);
                Vec.axpy(-lambda, dx, g);
                float[] next = x.clone();
                Vec.axpy(-m, g, next);
                double r = Vec.distance(next, x);
                x = next;
                dx = Flat.denoise(denoiser, x, dims);
                ax = Flat.apply(a, x);
                return r;
            }

            @Override
            public float[] image() {
                return x;
            }

            @Override
            public double objective() {
                double misfit = Vec.distance(ax, y);
                return 0.5 * misfit * misfit + 0.5 * lambda * (Vec.dot(x, x) - Vec.dot(x, dx));
            }

            @Override
            public String guarantee() {
                return guarantee;
            }
        };
    }
}
