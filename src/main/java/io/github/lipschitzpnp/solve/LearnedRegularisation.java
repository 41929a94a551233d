package io.github.lipschitzpnp.solve;

import io.github.lipschitzpnp.image.FloatImages;
import io.github.lipschitzpnp.physics.LinearOperator;

import java.util.Locale;
import java.util.Objects;

/**
 * Variational reconstruction with a learned regulariser (the adversarial regulariser of Lunz,
 * Oektem and Schoenlieb, NeurIPS 2018): gradient descent on
 * {@code E(x) = 1/2 ||A x - y||^2 + lambda R(x)} with Armijo backtracking.
 *
 * <p>Step sizes. The data term's gradient is {@code ||A||^2}-Lipschitz, but R's gradient (a ReLU
 * network's) has no Lipschitz constant at all, so no fixed step is safe. Each iteration tries
 * {@code t = growth * t_previous} (first {@code 1.9 / ||A||^2}) and halves it until the sufficient
 * decrease {@code E(x+) <= E(x) - (c / t) ||x+ - x||^2} holds ({@code c = 1e-4}; with
 * {@code x+ = x - t grad E(x)} this is the usual Armijo condition {@code E(x) - c t ||grad E||^2};
 * with {@link #nonNegative} {@code x+} is the projection onto {@code x >= 0}). Every accepted step
 * therefore decreases E: the objective history is monotone. A trial costs one forward and backward
 * pass of the network plus one {@code A} and one {@code A^T}.
 *
 * <p>Stopping: CONVERGED when the relative change of E falls below {@link #objectiveTolerance}
 * (default 1e-6), when the step residual {@code ||x+ - x|| <= tolerance ||x||} (default 1e-5), or
 * when 40 halvings find no decrease (a numerical stationary point); else the iteration budget.
 * Steps may lengthen again after short ones, so the residual may grow for a while without any
 * divergence: only NaN/Inf trips the divergence guard by default
 * ({@link #divergenceGuard(int, double)} turns the growth test back on).
 *
 * <p>No convergence theorem: R is 1-Lipschitz (certified) but neither smooth nor convex, so E may
 * have many stationary points; with a non-injective A (sparse-view CT) E need not even be bounded
 * below along the null space. What holds is the monotone objective; the result is an
 * approximate stationary point near the initial guess, so initialise well (FBP for CT, the data
 * for deconvolution).
 */
public final class LearnedRegularisation extends IterativeSolver<LearnedRegularisation> {

    private static final double ARMIJO = 1e-4;
    private static final int MAX_HALVINGS = 40;

    private final Regulariser regulariser;
    private double lambda = 0.01;
    private double objectiveTolerance = 1e-6;
    private double growth = 1.5;
    private boolean nonNegative;

    public LearnedRegularisation(Regulariser regulariser) {
        this.regulariser = Objects.requireNonNull(regulariser, "regulariser");
        divergenceGuard(Integer.MAX_VALUE, 1);
    }

    /** The weight lambda > 0 of R (default 0.01). */
    public LearnedRegularisation regularization(double lambda) {
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
        }
        this.lambda = lambda;
        return this;
    }

    /** Stop when |E_k - E_{k+1}| <= tol * max(|E_{k+1}|, 1e-30) (default 1e-6; 0 disables). */
    public LearnedRegularisation objectiveTolerance(double tol) {
        if (!(tol >= 0)) {
            throw new IllegalArgumentException("objective tolerance must be >= 0, got " + tol);
        }
        this.objectiveTolerance = tol;
        return this;
    }

    /** Factor >= 1 by which each iteration first tries a longer step than the last one (default 1.5). */
    public LearnedRegularisation stepGrowth(double g) {
        if (!(g >= 1) || !Double.isFinite(g)) {
            throw new IllegalArgumentException("step growth must be >= 1, got " + g);
        }
        this.growth = g;
        return this;
    }

    /** Project every iterate onto x >= 0 (default off). */
    public LearnedRegularisation nonNegative(boolean on) {
        this.nonNegative = on;
        return this;
    }

    public double regularization() {
        return lambda;
    }

    @Override
    public String describe() {
        return "Learned regulariser (lambda=" + Certificates.fmt(lambda) + ", Armijo backtracking"
                + (nonNegative ? ", x >= 0" : "") + ") with " + regulariser.describe();
    }

    @Override
    protected Run start(Problem p) {
        LinearOperator a = p.operator();
        double norm = a.norm();
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("the operator's norm estimate is " + norm + ": cannot choose a step");
        }
        float[] y = p.dataArray();
        long[] dims = p.domain();
        float[] x0 = initialGuess(p);
        if (nonNegative) {
            Vec.clampNonNegative(x0);
        }
        String bound = Double.isNaN(regulariser.lipschitzBound()) ? "no certificate"
                : String.format(Locale.ROOT, "certified Lipschitz bound %.4f", regulariser.lipschitzBound());
        String guarantee = "none for the iterates (R is 1-Lipschitz, " + bound + ", but neither smooth nor convex): "
                + "Armijo backtracking makes the objective 1/2||Ax - y||^2 + lambda R(x) non-increasing";
        return new Run() {
            float[] x = x0;
            Point here = point(x0);
            double t = 1.9 / (norm * norm) / growth;
            double previous = Double.NaN;
            String stop;

            Point point(float[] v) {
                float[] ax = Flat.apply(a, v);
                Vec.axpy(-1, y, ax);
                double misfit = Vec.norm(ax);
                float[] g = Flat.adjoint(a, ax);
                Regulariser.Evaluation e = regulariser.evaluate(FloatImages.wrap(v, dims));
                Vec.axpy(lambda, FloatImages.data(e.gradient()), g);
                return new Point(0.5 * misfit * misfit + lambda * e.value(), g);
            }

            @Override
            public double step() {
                double trial = t * growth;
                for (int h = 0; h <= MAX_HALVINGS; h++, trial *= 0.5) {
                    float[] next = x.clone();
                    Vec.axpy(-trial, here.gradient, next);
                    if (nonNegative) {
                        Vec.clampNonNegative(next);
                    }
                    double moved = Vec.distance(next, x);
                    if (moved == 0) {
                        break;
                    }
                    Point there = point(next);
                    if (!Double.isFinite(there.value)) {
                        continue;
                    }
                    if (there.value <= here.value - ARMIJO / trial * moved * moved) {
                        previous = here.value;
                        x = next;
                        here = there;
                        t = trial;
                        if (Math.abs(previous - here.value) <= objectiveTolerance * Math.max(Math.abs(here.value), 1e-30)) {
                            stop = String.format(Locale.ROOT, "relative objective change %.3g <= %s",
                                    Math.abs(previous - here.value) / Math.max(Math.abs(here.value), 1e-30),
                                    Certificates.fmt(objectiveTolerance));
                        }
                        return moved;
                    }
                }
                stop = "the line search found no decrease of the objective (" + MAX_HALVINGS
                        + " halvings): a numerical stationary point";
                return 0;
            }

            @Override
            public float[] image() {
                return x;
            }

            @Override
            public double objective() {
                return here.value;
            }

            @Override
            public String converged() {
                return stop;
            }

            @Override
            public String guarantee() {
                return guarantee;
            }
        };
    }

    private record Point(double value, float[] gradient) {
    }
}
